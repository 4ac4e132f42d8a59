"""Command line: parse arguments, call the engine, print. See DESIGN.md for the contract."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _add_index(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", default="index", help="index folder (default: index)")
    p.add_argument("--chroma-url", default=None, help="remote Chroma server, e.g. http://127.0.0.1:8000 (env ASSISTANT_CHROMA_URL)")
    p.add_argument("--role", choices=("public", "officer"), default="public",
                   help="public (default) never sees restricted passages")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    p.add_argument("--council", help="council name or part of it")
    p.add_argument("--committee", help="committee name or part of it")
    p.add_argument("--since", help="from this date: YYYY (1 January), YYYY-MM or YYYY-MM-DD")
    p.add_argument("--until", help="up to this date: YYYY (31 December), YYYY-MM or YYYY-MM-DD")
    p.add_argument("--type", dest="doc_type", choices=("minutes", "report", "decision notice", "transcript"))
    p.add_argument("--decisions", action="store_true", help="decision passages only")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _add_generator(p: argparse.ArgumentParser) -> None:
    p.add_argument("--generator", metavar="SPEC", default=os.environ.get("ASSISTANT_GENERATOR") or None,
                   help="optional answer generator: openai:URL[#model], ollama:URL[#model] or smollm2 "
                        "(env ASSISTANT_GENERATOR; default: none, extractive answers, no network)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m assistant` and its commands (ingest, stats, parse, search, ask, eval,
    officers, settings)."""
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Minute Book assistant: search and "
                                     "cited answers over council meeting records.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="index records (txt, md, html, pdf, docx) from files or folders")
    p.add_argument("paths", nargs="+")
    p.add_argument("--manifest", help="CSV or JSON of metadata that overrides what the records say")
    p.add_argument("--prune", action="store_true",
                   help="remove the records of files gone from the folders given (default: keep them, and say so)")
    p.add_argument("--batch", type=int, default=None, metavar="N",
                   help="new passages embedded at a time (default 2048; fewer use less memory and commit sooner)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--index", default="index")
    p.add_argument("--chroma-url", default=None)
    p = sub.add_parser("stats", help="what the index holds")
    _add_index(p)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("parse", help="show the record and passages read from one file, without indexing")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("search", help="the passages that best match a query")
    p.add_argument("query", nargs="?")
    p.add_argument("--queries", help="JSONL file of {id, question}; one output line per query")
    _add_index(p)
    _add_filters(p)
    p = sub.add_parser("ask", help="a short answer citing the records")
    p.add_argument("question")
    _add_index(p)
    _add_filters(p)
    _add_generator(p)
    p = sub.add_parser("eval", help="score retrieval (and answers) on a JSONL question set")
    p.add_argument("file")
    p.add_argument("--answers", action="store_true", help="also score cited answers and abstention")
    _add_index(p)
    _add_filters(p)
    _add_generator(p)
    p = sub.add_parser("officers", help="who may sign in to the chat as an officer (salted bcrypt hashes in a file)")
    p.add_argument("action", choices=("add", "remove", "list"))
    p.add_argument("name", nargs="?", help="the officer's sign-in name (add, remove)")
    p.add_argument("--file", default=os.environ.get("ASSISTANT_OFFICERS_FILE") or None,
                   help="the officers file (env ASSISTANT_OFFICERS_FILE); `add` reads the password from the "
                        "terminal without echo, or one line of standard input")
    p = sub.add_parser("settings", help="the tuned numbers (assistant/settings.py): value, stage, what each does")
    p.add_argument("--markdown", action="store_true", help="as the README's table")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command line; the exit code: 0 done, 1 failed (the reason on stderr, never a traceback), 2 a usage
    error."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return EXIT_FAILED
    except Exception as err:  # the user sees a reason, never a traceback
        from assistant.archive import IndexMissing

        if isinstance(err, IndexMissing):
            print(f"error: {err}", file=sys.stderr)
        else:
            print(f"error: {type(err).__name__}: {err}", file=sys.stderr)
        return EXIT_FAILED


def _filters(args):
    """Filters from the command line; a bad --since/--until is a usage error (exit 2) naming the value."""
    from assistant.filters import Filters
    from assistant import periods

    try:
        since = periods.since(getattr(args, "since", None))
    except periods.PeriodError as err:
        print(f"error: --since: {err}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    try:
        until = periods.until(getattr(args, "until", None))
        if since and until and since > until:
            raise periods.PeriodError(f"--since {args.since} ({since}) is after --until {args.until} ({until})")
    except periods.PeriodError as err:
        print(f"error: --until: {err}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None
    return Filters(council=args.council, committee=args.committee, since=since, until=until,
                   doc_type=args.doc_type, decisions_only=args.decisions, role=args.role)


def cmd_ingest(args) -> int:
    """`ingest`: index files and folders and print what was done (or the report as JSON); 1 when no file was read
    or another ingest holds the index."""
    from assistant.archive import Archive
    from assistant.recovery import IndexBusy

    archive = Archive(args.index, args.chroma_url, create=True)
    log = (lambda line: print(line, file=sys.stderr)) if args.json else print
    try:
        # a progress bar (files, passages a second) on a terminal; never in --json output or a log file
        report = archive.ingest(args.paths, args.manifest, log=log, prune=args.prune, batch=args.batch,
                                progress=not args.json and sys.stderr.isatty())
    except IndexBusy as err:  # refused, not interleaved: nothing was written
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        gone = (f", {report.files_pruned} records of deleted files pruned" if report.files_pruned else
                f", {report.files_missing} records of deleted files kept" if report.files_missing else "")
        print(f"{report.files_read} files read ({report.unchanged_files} unchanged), {report.records} records in the index, "
              f"{report.passages_added} passages added, {report.passages_removed} removed{gone}, "
              f"{len(report.skipped)} skipped, {report.seconds:.1f} s")
    return EXIT_OK if report.files_read else EXIT_FAILED


def cmd_stats(args) -> int:
    """`stats`: what the index holds as the role may see it, as text or JSON."""
    from assistant.archive import Archive

    stats = Archive(args.index, args.chroma_url).stats(args.role)
    if args.json:
        print(json.dumps(stats))
    else:
        print(f"{stats['records']} records, {stats['passages']} passages ({stats['index']})")
        print(f"dates: {stats['dates']['first']} to {stats['dates']['last']}")
        print(f"councils ({len(stats['councils'])}): {'; '.join(stats['councils'])}")
        print(f"committees ({len(stats['committees'])}): {'; '.join(stats['committees'])}")
        print("types: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["doc_types"].items())))
        if "restricted" in stats:
            print(f"restricted: {stats['restricted']['passages']} passages of {stats['restricted']['records']} records")
    return EXIT_OK


def cmd_parse(args) -> int:
    """`parse`: the record and passages read from one file, without indexing it; 1 when the file is unreadable."""
    from assistant.loaders import Unreadable
    from assistant.parse import parse_file

    try:
        record, passages = parse_file(Path(args.file))
    except Unreadable as err:
        print(f"skipped {args.file}: {err}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(json.dumps({"record": record.to_json(), "passages": [p.to_json() for p in passages]}))
    else:
        print(json.dumps(record.to_json(), indent=2))
        for n, p in enumerate(passages, 1):
            flag = " DECISION" if p.is_decision else ""
            print(f"\n--- passage {n}: item {p.item} · {p.heading or ''} · page {p.page}{flag}\n{p.text}")
    return EXIT_OK


def cmd_search(args) -> int:
    """`search`: the best passages for a query, or one JSON line per question of a --queries file; 2 with
    neither."""
    from assistant.engine import Engine

    engine = Engine(args.index, args.chroma_url)
    filters = _filters(args)
    if args.queries:
        with open(args.queries, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    item = json.loads(line)
                    hits = engine.search(item["question"], args.k, filters)
                    print(json.dumps({"id": item.get("id"), "results": [h.to_json(r) for r, h in enumerate(hits, 1)]}))
        return EXIT_OK
    if not args.query:
        print("error: give a QUERY or --queries FILE", file=sys.stderr)
        return EXIT_USAGE
    hits = engine.search(args.query, args.k, filters)
    if args.json:
        print(json.dumps({"query": args.query, "results": [h.to_json(r) for r, h in enumerate(hits, 1)]}))
    else:
        if not hits:
            print("no passages found")
        for r, h in enumerate(hits, 1):
            print(f"[{r}] {_where(h.passage)} (score {h.score:.3f})\n    {h.passage.text[:400]}\n")
    return EXIT_OK


def cmd_ask(args) -> int:
    """`ask`: a cited answer to one question and the passages it cites (or the answer as JSON)."""
    from assistant.engine import Engine

    result = Engine(args.index, args.chroma_url, generator=args.generator).ask(args.question, args.k, _filters(args))
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print(result.text + "\n")
        for n, hit in enumerate(result.citations, 1):
            print(f"[{n}] {_where(hit.passage)}\n    {hit.passage.text[:300]}")
    return EXIT_OK


def cmd_eval(args) -> int:
    """`eval`: retrieval scores (with --answers, answer scores too) on a JSONL question set, searching at least
    10 passages deep."""
    from assistant.engine import Engine
    from assistant.evaluate import evaluate, format_report

    report = evaluate(Engine(args.index, args.chroma_url, generator=args.generator), args.file, k=max(args.k, 10), filters=_filters(args),
                      answers=args.answers, progress=not args.json)
    print(json.dumps(report) if args.json else format_report(report))
    return EXIT_OK


def _where(p) -> str:
    parts = ["RESTRICTED" if p.access != "public" else None, p.council, p.committee, p.date,
             f"item {p.item}" if p.item else None, f"p. {p.page}" if p.page else None, p.source]
    return " · ".join(x for x in parts if x)


def cmd_officers(args) -> int:
    """`officers`: list, add or remove the officers of the officers file (add reads the password); 2 without a
    file or NAME, 1 for an unknown officer to remove or a name or password that cannot be used."""
    from assistant import officers

    if not args.file:
        print("error: say which file: --file FILE or ASSISTANT_OFFICERS_FILE", file=sys.stderr)
        return EXIT_USAGE
    file = Path(args.file)
    if args.action == "list":
        print("\n".join(officers.names(file)) or "no officers")
        return EXIT_OK
    if not args.name:
        print(f"error: officers {args.action} needs a NAME", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.action == "remove":
            if not officers.remove(file, args.name):
                print(f"error: no officer {args.name!r} in {file}", file=sys.stderr)
                return EXIT_FAILED
            print(f"removed {args.name} from {file}")
            return EXIT_OK
        password = _new_password()
        replaced = officers.add(file, args.name, password)
    except officers.CredentialError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{'changed the password of' if replaced else 'added'} {args.name} in {file}")
    return EXIT_OK


def _new_password() -> str:
    """A password typed twice without echo at a terminal, or the first line of standard input."""
    import getpass

    from assistant.officers import CredentialError

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise CredentialError("the two passwords differ")
    return first


def cmd_settings(args) -> int:
    """`settings`: the tuned numbers as a table, as the README's Markdown (--markdown) or as JSON."""
    from dataclasses import asdict

    from assistant import settings

    if args.markdown:
        print(settings.markdown())
    elif args.json:
        print(json.dumps([asdict(s) for s in settings.TABLE]))
    else:
        for s in settings.TABLE:
            print(f"{s.name:24} {s.value!s:>8}  {s.stage:12} {s.does} (chosen on {s.chosen_on})")
    return EXIT_OK


COMMANDS = {"ingest": cmd_ingest, "stats": cmd_stats, "parse": cmd_parse, "search": cmd_search, "ask": cmd_ask,
            "eval": cmd_eval, "officers": cmd_officers, "settings": cmd_settings}
