"""The ``opguard`` command line.

Each command is a thin wrapper: parse options, call one function, print.  Expected
failures (bad input, an unreachable broker, an invalid policy) print one line and exit
non-zero; heavy imports happen inside the commands so ``opguard --help`` is instant.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, cast

import click

from streams import __version__

F = TypeVar("F", bound=Callable[..., Any])

PHASES = ("none", "offered", "active", "paused", "ended")


class UserError(Exception):
    """An expected failure: the message is shown as one line, the exit code is 2."""


def fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"opguard: {message}", err=True)
    sys.exit(code)


def one_line_errors(func: F) -> F:
    """Turn expected errors into a one-line message and a non-zero exit, no traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from streams.errors import expected_errors

        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except expected_errors() as error:
            fail(str(error) or type(error).__name__)
        except UserError as error:
            fail(str(error))

    return cast(F, wrapper)


def require_tools() -> None:
    """``opguard demo | bench | replay | tail`` are development tools (opguard_tools),
    installed by ``make install`` and not into the production image."""
    import importlib.util

    if importlib.util.find_spec("opguard_tools") is None:
        fail("this command needs opguard's tools: make install (or pip install -e tools/)")


def load_settings_and_policy() -> tuple[Any, Any]:
    from streams.policy import default_policy, load_policy
    from streams.settings import Settings

    settings = Settings.from_env()
    policy = load_policy(settings.policy_path) if settings.policy_path else default_policy()
    return settings, policy


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opguard")
def main() -> None:
    """opguard: flags attempts to take a marketplace conversation or payment off the platform."""


@main.command()
@click.option(
    "--workers", default=1, show_default=True, help="Ignored; run one process per worker."
)
@one_line_errors
def worker(workers: int) -> None:
    """Run a stream-processing worker (a Faust worker) configured by OPGUARD_* settings."""
    from streams.worker import run_worker

    run_worker()


@main.group()
def topics() -> None:
    """Create, check or provision opguard's topics."""


@topics.command("apply")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Declarative topics file (default: the one shipped in the package).",
)
@click.option("--dry-run", is_flag=True, help="Only report what differs; change nothing.")
@one_line_errors
def topics_apply(path: str | None, dry_run: bool) -> None:
    """Create missing topics and report drift from the declared settings (idempotent)."""
    from streams.settings import Settings
    from streams.topics import apply_topics, load_topic_specs

    settings = Settings.from_env()
    report = apply_topics(settings, load_topic_specs(path, settings), dry_run=dry_run)
    click.echo(report.render())
    if report.drift and dry_run:
        sys.exit(1)


@topics.command("check")
@click.option("--file", "path", type=click.Path(dir_okay=False), default=None)
@one_line_errors
def topics_check(path: str | None) -> None:
    """Check that every topic exists with its declared settings; exit 1 on drift."""
    from streams.settings import Settings
    from streams.topics import apply_topics, load_topic_specs

    settings = Settings.from_env()
    report = apply_topics(settings, load_topic_specs(path, settings), dry_run=True)
    click.echo(report.render())
    if report.missing or report.drift:
        sys.exit(1)


@main.command()
@click.argument("text", required=False)
@click.option(
    "--contract",
    type=click.Choice(PHASES),
    default="none",
    show_default=True,
    help="Contract phase of the conversation when the text was sent.",
)
@click.option("--country", "sender_country", default=None, help="Sender's country (ISO alpha-2).")
@click.option(
    "--jsonl",
    "jsonl",
    type=click.Path(allow_dash=True, dir_okay=False),
    default=None,
    help="Read JSON lines {id, text, contract?, sender_country?} from FILE or -.",
)
@one_line_errors
def scan(text: str | None, contract: str, sender_country: str | None, jsonl: str | None) -> None:
    """Judge text with no Kafka: a readable verdict, or JSON lines with --jsonl."""
    from streams.judge import judge
    from streams.scan import scan_jsonl, verdict_text

    _, policy = load_settings_and_policy()
    if jsonl is not None:
        if text is not None:
            raise UserError("give either TEXT or --jsonl, not both")
        with click.open_file(jsonl, "r", encoding="utf-8", errors="surrogateescape") as lines:
            for line in scan_jsonl(lines, policy):
                click.echo(line)
        return
    if text is None:
        raise UserError("nothing to scan: give TEXT or --jsonl FILE")
    judgement = judge(text, contract, policy, sender_country)
    click.echo(verdict_text(text, judgement))


@main.command("eval")
@click.argument("path", type=click.Path(exists=True))
@one_line_errors
def eval_(path: str) -> None:
    """Precision and recall per rule and kind on a labeled corpus (a file or a folder)."""
    from streams.evaluate import evaluate, load_records, render

    _, policy = load_settings_and_policy()
    click.echo(render(evaluate(load_records(path), policy)))


@main.command()
@click.argument("path", type=click.Path(allow_dash=True, dir_okay=False))
@click.option(
    "--rate", type=float, default=0.0, help="Records per second (0: as fast as possible)."
)
@one_line_errors
def replay(path: str, rate: float) -> None:
    """Produce a JSONL file of messages and contract events to Kafka, with a progress bar."""
    require_tools()
    from opguard_tools.replay import replay_file

    from streams.settings import Settings

    summary = replay_file(Settings.from_env(), path, rate=rate)
    click.echo(summary)


@main.command()
@click.argument("topic")
@click.option("--from-beginning", is_flag=True, help="Start at the earliest offset.")
@click.option("--max", "max_events", type=int, default=0, help="Stop after N events (0: never).")
@click.option("--timeout", type=float, default=0.0, help="Stop after N idle seconds (0: never).")
@click.option("--json", "as_json", is_flag=True, help="Print raw JSON lines.")
@one_line_errors
def tail(topic: str, from_beginning: bool, max_events: int, timeout: float, as_json: bool) -> None:
    """Print events from TOPIC (violations, warnings, dead-letters, …) as they arrive."""
    from streams.settings import Settings

    require_tools()
    from opguard_tools.tail import tail_topic

    tail_topic(
        Settings.from_env(),
        topic,
        from_beginning=from_beginning,
        max_events=max_events,
        idle_timeout=timeout,
        as_json=as_json,
    )


@main.command()
@click.option("--keep-stack", is_flag=True, help="Leave the local stack running afterwards.")
@one_line_errors
def demo(keep_stack: bool) -> None:
    """The main job end to end on the local stack: topics, a worker, the seed scenarios."""
    require_tools()
    from opguard_tools.demo.run import run_demo

    sys.exit(run_demo(keep_stack=keep_stack))


@main.group()
def bench() -> None:
    """Benchmarks, each against a baseline measured in the same run."""


@bench.command("detector")
@click.option("-n", "--messages", default=20000, show_default=True)
@click.option("--seed", default=7, show_default=True)
@one_line_errors
def bench_detector(messages: int, seed: int) -> None:
    """Full judgement vs phonenumbers' PhoneNumberMatcher alone, on the same messages."""
    require_tools()
    from opguard_tools.bench.detector import render, run

    click.echo(render(run(messages, seed)))


@bench.command("scan")
@click.option("-n", "--lines", default=10000, show_default=True)
@one_line_errors
def bench_scan(lines: int) -> None:
    """`opguard scan` as users run it (start-up included) vs phonenumbers, same run."""
    require_tools()
    from opguard_tools.bench.scan import render, run

    click.echo(render(run(lines)))


@bench.command("spamlord")
@click.argument("pages", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--gold",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Gold file (default: PAGES's sibling named PAGES + GOLD, e.g. data/devGOLD).",
)
@click.option("--misses", "show_misses", is_flag=True, help="List the engine's every fp and fn.")
@one_line_errors
def bench_spamlord(pages: str, gold: str | None, show_misses: bool) -> None:
    """Phone and e-mail precision/recall on SpamLord's pages vs phonenumbers + a regex."""
    require_tools()
    from pathlib import Path

    from opguard_tools.spamlord import render, run

    result = run(Path(pages), Path(gold) if gold else None)
    click.echo(render(result, show_misses))


@bench.command("pipeline")
@click.option("-n", "--messages", default=100000, show_default=True)
@click.option("--conversations", default=10000, show_default=True)
@click.option("--workers", default=1, show_default=True)
@click.option("--seed", default=7, show_default=True)
@one_line_errors
def bench_pipeline(messages: int, conversations: int, workers: int, seed: int) -> None:
    """End-to-end messages/s and lag vs Faust and aiokafka pass-throughs, same broker."""
    require_tools()
    from opguard_tools.bench.pipeline import render, run

    from streams.settings import Settings

    click.echo(render(run(Settings.from_env(), messages, conversations, workers, seed)))


if __name__ == "__main__":  # pragma: no cover
    main()
