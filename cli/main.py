"""`python -m cli`: the model's commands and the store's under one parser."""
from __future__ import annotations

import argparse

from .model_commands import add_model_commands, run_model_command
from .store_commands import add_store_commands, run_store_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cli", description="The platform interconnection model.")
    commands = parser.add_subparsers(dest="command", required=True)
    add_model_commands(commands)
    add_store_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "store":
        return run_store_command(args)
    return run_model_command(args)
