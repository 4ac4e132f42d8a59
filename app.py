"""Start the Minute Book chat: python app.py [--index DIR] [--host 127.0.0.1] [--port 7860] [--generator SPEC]
[--allow-upload] [--officers FILE]."""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> int:
    """Parse the arguments, read the officers and launch the chat; the exit code: 1 without an index, 2 for a bad
    officers entry or generator spec."""
    parser = argparse.ArgumentParser(description="Minute Book assistant chat")
    parser.add_argument("--index", default="index")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--chroma-url", default=None)
    parser.add_argument("--generator", metavar="SPEC", default=os.environ.get("ASSISTANT_GENERATOR") or None,
                        help="optional answer generator: openai:URL[#model], ollama:URL[#model] or smollm2")
    parser.add_argument("--allow-upload", action="store_true",
                        help="let a signed-in officer add records to the index (saved under INDEX/uploads/); off by default")
    parser.add_argument("--officers", metavar="FILE", default=None,
                        help="officers who may sign in at /login: a file of name:bcrypt-hash lines written by "
                             "`python -m assistant officers add NAME` (env ASSISTANT_OFFICERS_FILE; entries may also "
                             "come from env ASSISTANT_OFFICERS); without any, everyone reads as the public")
    args = parser.parse_args()
    from assistant.archive import IndexMissing
    from assistant.generate import GeneratorError
    from assistant.officers import CredentialError, Officers
    from assistant.ui import launch

    try:
        officers = Officers.from_environment(args.officers)
    except CredentialError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        launch(args.index, args.host, args.port, args.chroma_url, args.generator, allow_upload=args.allow_upload,
               officers=officers)
    except IndexMissing as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except GeneratorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
