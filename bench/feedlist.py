"""The feeds file every tool reads: one URL a line, ``#`` comments (the project's format)."""

from __future__ import annotations

from pathlib import Path

from bench.world import World


def write_feeds(world: World, path: Path) -> Path:
    lines = [f"# local news web: {world.n_feeds} feeds, seed {world.seed}"]
    lines += [f.url for f in world.feeds]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_feeds(path: str | Path) -> list[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
