"""Stage "build": the docs tree → HTML, by a static-site engine behind one small seam.

An engine is told the config file `write` made beside the docs tree; it builds in a process of its own
(the search index is made meanwhile, on the other core) and reports its problems as `BuildError`, one line
each, with the page's path. mkdocs (with Material for MkDocs) is the default; Zensical reads the same config
and docs tree, and can be tried with ``kb build --engine zensical`` where it is installed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..pages.render import CompiledTemplates

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class Running:
    """An engine's build under way: its process and the file it logs to."""

    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@dataclass(frozen=True)
class Engine:
    """How one engine is run on a config file, and which lines of its log are problems."""

    name: str
    command: tuple[str, ...]
    """The command, before the config file's path."""
    quiet: re.Pattern[str]
    """Lines of its log that are not problems."""
    config: dict[str, Any] = field(default_factory=dict)
    """What its config has besides the project's (`write.mkdocs_config`), merged into it a level deep."""

    def executable(self) -> str | None:
        """The command's program: on the PATH, else in the project's venv for it (``.zensical/``, `make test`)."""
        program = self.command[0]
        own = PROJECT_ROOT / f".{program}" / "bin" / program
        return shutil.which(program) or (str(own) if own.is_file() else None)

    def available(self) -> bool:
        return self.executable() is not None

    def start(self, config_file: Path, timestamp: int, lock: int | None = None) -> Running:
        """Start the build; it inherits the build's ``lock``, which it holds while it runs."""
        if not self.available():
            raise BuildError(f"{self.name} is not installed here: `pip install {self.name}`, or build with --engine mkdocs")
        log = config_file.parent / f"{self.name}.log"
        # Material 9.8 prints a notice of its end of life on each build; the README says it once.
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(timestamp), "NO_MKDOCS_2_WARNING": "1"}
        # The config names a Markdown extension of the generator's (`html_blocks`): an engine in a venv of its own
        # imports it from the project.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
        # Output goes to a file, not a pipe: an engine logs a line per page, and a full pipe would stop it
        # until the index (made meanwhile) is done.
        with log.open("w", encoding="utf-8") as sink:
            process = subprocess.Popen(
                [self.executable(), *self.command[1:], str(config_file)],
                cwd=config_file.parent,
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
                env=env,
                pass_fds=() if lock is None else (lock,),
            )
        return Running(process, log)

    def finish(self, running: Running) -> None:
        """Wait for the build; a failure is a `BuildError` with the engine's problems, one per line."""
        running.process.wait()
        if running.process.returncode != 0:
            problems, quiet = [], False
            for line in running.log.read_text(encoding="utf-8").splitlines():
                # An indented line goes on with the line above it (mkdocs lists the pages not in the navigation
                # under an INFO line, one a line): quiet if that one is.
                quiet = quiet if line[:1].isspace() else bool(self.quiet.match(line))
                if line.strip() and not quiet:
                    problems.append(line)
            raise BuildError(f"{self.name} failed:\n" + "\n".join(problems).strip())


ENGINES = {
    # Never --quiet: it hides the warnings that --strict counts, so broken links would pass.
    "mkdocs": Engine("mkdocs", (sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file"), re.compile("INFO")),
    "zensical": Engine(
        "zensical",
        ("zensical", "build", "--clean", "--config-file"),
        re.compile(r"\s*(INFO|Build)"),
        # Its own search off (the site's is Pagefind), and the look of Material for MkDocs.
        {"plugins": {"search": {"enabled": False}}, "theme": {"variant": "classic"}},
    ),
}
DEFAULT_ENGINE = "mkdocs"


_THEME_COMPILED = CompiledTemplates()


def dirty_build_in_process(config_file: Path, timestamp: int) -> None:
    """mkdocs' dirty build (only the pages whose source is newer than their HTML) in this process: the preview's,
    after each change, without the half second a new process spends starting mkdocs and its theme. Its log stays
    quiet (it warns that a dirty build is one); a failure is a `BuildError`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    saved = {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    os.environ.update({"SOURCE_DATE_EPOCH": str(timestamp), "NO_MKDOCS_2_WARNING": "1"})
    log = logging.getLogger("mkdocs")
    level, log.level = log.level, logging.ERROR
    config = load_config(str(config_file), strict=False)
    # mkdocs makes the theme's Jinja environment anew on each build and compiles Material's templates again: a
    # third of a dirty build. The preview's environments share what was compiled (checked against the source).
    make_env = config.theme.get_env

    def env_with_compiled() -> Any:
        env = make_env()
        env.bytecode_cache = _THEME_COMPILED
        return env

    config.theme.get_env = env_with_compiled  # type: ignore[method-assign]
    try:
        build(config, dirty=True)
    except (MkDocsException, OSError) as error:
        raise BuildError(f"mkdocs failed: {error}") from error
    finally:
        log.setLevel(level)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
