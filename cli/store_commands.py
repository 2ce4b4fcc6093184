"""The store's commands: list, export, import, back up, restore, delete, purge and look through the
saved-scenario library (the logic is in store/; this is the wiring)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from model.yamlio import InputError

from . import fail


def add_store_commands(commands) -> None:
    store_parser = commands.add_parser("store", help="the saved-scenario library (admin)")
    actions = store_parser.add_subparsers(dest="action", required=True)
    for action, help_text in (("list", "saved scenarios"), ("trash", "scenarios in the trash")):
        actions.add_parser(action, help=help_text).add_argument("--format", choices=["json", "table"], default="table")
    actions.add_parser("export", help="write every saved scenario as DIR/<slug>.yaml").add_argument("dir")
    actions.add_parser("import", help="save scenario files into the library (a newer file of a saved scenario adds "
                                      "a version; an unchanged one is left alone)").add_argument("files", nargs="+")
    actions.add_parser("backup", help="write the whole library (ids, owners, versions, trash, old slugs) to FILE"
                       ).add_argument("file")
    actions.add_parser("purge", help="empty the trash now").add_argument(
        "--days", type=int, default=0, help="only what has been in the trash longer than DAYS (default: all)")
    actions.add_parser("delete", help="move a scenario to the trash").add_argument("id")
    actions.add_parser("restore", help="bring a scenario back from the trash (ID), or restore a backup (FILE.json: "
                                       "what the library lacks is added exactly as it was)").add_argument("id")
    history = actions.add_parser("history", help="every version of a scenario")
    history.add_argument("id")
    history.add_argument("--format", choices=["json", "table"], default="table")


def run_store_command(args) -> int:
    """Administration: acts as the library itself (no owner checks), so it can clean up any scenario."""
    from store import backup  # only these commands need the database
    from store.library import ADMIN, default_library

    library = default_library()
    try:
        if args.action in ("list", "trash"):
            entries = library.saved(trash=args.action == "trash")
            rows = [{"id": e.id, "slug": e.stem, "name": e.scenario.name, "owner": e.owner, "version": e.version,
                     "updated_at": e.updated_at.isoformat(), "deleted_at": e.deleted_at and e.deleted_at.isoformat()}
                    for e in entries]
            _print_rows(rows, args.format, ["slug", "name", "owner", "version", "updated_at"])
        elif args.action == "history":
            rows = [{"version": v.version, "name": v.name, "saved_at": v.saved_at.isoformat(),
                     "saved_by": v.saved_by_name or v.saved_by, "action": v.action} for v in library.history(args.id)]
            _print_rows(rows, args.format, ["version", "action", "name", "saved_by", "saved_at"])
        elif args.action == "export":
            folder = Path(args.dir)
            folder.mkdir(parents=True, exist_ok=True)
            for entry in library.saved():
                (folder / f"{entry.stem}.yaml").write_text(library.text(entry.stem), encoding="utf-8")
                print(folder / f"{entry.stem}.yaml")
        elif args.action == "import" or (args.action == "restore" and backup.is_backup_file(args.id)):
            done, refused = (library.import_files([Path(f) for f in args.files], actor=ADMIN)
                             if args.action == "import" else backup.restore(library, Path(args.id)))
            for line in done:
                print(line)
            if refused:
                return fail(refused)
        elif args.action == "backup":
            print(f"{args.file}: {backup.backup(library, Path(args.file))} scenarios")
        elif args.action == "purge":
            print(f"purged {library.purge_expired(days=args.days)} scenarios from the trash")
        else:
            entry = getattr(library, args.action)(args.id, actor=ADMIN)
            print(f"{args.action}: {entry.stem} ({entry.scenario.name})")
    except InputError as error:
        return fail(error.lines())
    return 0


def _print_rows(rows: list[dict], output: str, columns: list[str]) -> None:
    if output == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif rows:
        print(pd.DataFrame(rows)[columns].fillna("").to_string(index=False))
