"""``pathway serve``: the local web page (the ``web`` extra), bound to this computer unless told
otherwise."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from . import common


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.argument(
    "folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The interface to listen on; the default lets only this computer in.",
)
@click.option(
    "--allow-host",
    "allowed",
    multiple=True,
    metavar="NAME",
    help="Another host name or address the page answers to (repeatable): what other computers "
    "type to reach it when --host is not this computer.",
)
@common.max_bytes_option
@common.rules_option
def serve(
    folder: Path | None,
    port: int,
    host: str,
    allowed: tuple[str, ...],
    max_bytes: int,
    rules: str | None,
) -> None:
    """Serve pathway as a local web page: a product form, the assessment side by side, the
    questions answered one by one, what-if, downloads, and with FOLDER a table of every product
    file in it (files are read from FOLDER only)."""
    try:
        import uvicorn

        from ..web.app import create_app
    except ImportError as exc:
        raise click.UsageError(
            f"pathway serve needs the web extra ({exc.name} is missing): pip install 'pathway[web]'"
        ) from None
    from ..io.document import Limits

    rulebase = common.rulebase(rules)
    hosts = ("127.0.0.1", "localhost", "::1", host, *allowed)
    app = create_app(rulebase, folder, hosts=hosts, limits=Limits(max_bytes=max_bytes))
    where = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    if _loopback(host):
        click.echo(f"pathway serves on {where}: only this computer can reach it. Ctrl+C stops it.")
    else:
        click.echo(
            f"pathway serves on {where}: WARNING, other computers that reach {host} can use it "
            "(there is no login). Ctrl+C stops it."
        )
        if not allowed:
            click.echo(
                "It answers only to the names 127.0.0.1, localhost and "
                f"{host}: give the name other computers use with --allow-host NAME."
            )
    if folder is not None:
        click.echo(f"Product files are read from {folder.resolve()} only.")
    uvicorn.run(app, host=host, port=port, log_level="warning")
