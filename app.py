"""Start the Minute Book chat: python app.py [--index DIR] [--host 127.0.0.1] [--port 7860] [--generator SPEC]
[--allow-upload]."""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> int:
    parser = argparse.ArgumentParser(description="Minute Book assistant chat")
    parser.add_argument("--index", default="index")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--chroma-url", default=None)
    parser.add_argument("--generator", metavar="SPEC", default=os.environ.get("ASSISTANT_GENERATOR") or None,
                        help="optional answer generator: openai:URL[#model], ollama:URL[#model] or smollm2")
    parser.add_argument("--allow-upload", action="store_true",
                        help="let the page add records to the index (saved under INDEX/uploads/); off by default")
    args = parser.parse_args()
    from assistant.archive import IndexMissing
    from assistant.generate import GeneratorError
    from assistant.ui import launch

    try:
        launch(args.index, args.host, args.port, args.chroma_url, args.generator, allow_upload=args.allow_upload)
    except IndexMissing as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except GeneratorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
