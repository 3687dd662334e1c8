"""``sam-shift-lint server``: the language server, over standard input and output.

pygls and lsprotocol come with the ``lsp`` extra (``pip install 'sam-shift-lint[lsp]'``) and are imported only
here, by this command: checking files never loads them. Without them the command says what to install (exit 2).
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from sam_shift_lint import __version__

EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sam-shift-lint server",
        description="Run the sam-shift-lint language server (LSP) over standard input and output.",
    )
    parser.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default and only transport)")
    parser.add_argument(
        "--log-level", default="warning", choices=("debug", "info", "warning", "error"), help="what to log to stderr (default: warning)"
    )
    parser.add_argument("--version", action="version", version=f"sam-shift-lint {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from sam_shift_lint.server.app import create_server
    except ImportError as error:
        print(
            f"sam-shift-lint: error: the language server needs pygls and lsprotocol ({error}); "
            "install them with: pip install 'sam-shift-lint[lsp]'",
            file=sys.stderr,
        )
        return EXIT_ERROR
    logging.basicConfig(stream=sys.stderr, level=args.log_level.upper(), format="sam-shift-lint server: %(levelname)s: %(message)s")
    if args.log_level != "debug":
        logging.getLogger("pygls").setLevel(logging.ERROR)  # its shutdown notices are no news
    create_server().start_io()
    return 0
