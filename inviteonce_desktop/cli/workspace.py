"""``inviteonce demo``: seed the demo workspace."""

from __future__ import annotations

import argparse
from typing import Any

from ..application.demo import seed_demo
from ..application.facade import InviteOnce


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help="seed this workspace with the demo")
    demo.set_defaults(func=run_demo)


def run_demo(app: InviteOnce, args: argparse.Namespace) -> int:
    seed_demo(app)
    members, rooms, pools = app.members(), app.rooms(), app.pools()
    print(
        f"Demo workspace ready in {app.home}: {len(members)} team members, "
        f"{len(rooms)} rooms, {len(pools)} resource {'pool' if len(pools) == 1 else 'pools'}."
    )
    return 0
