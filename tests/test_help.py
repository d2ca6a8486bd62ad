"""Every command explains itself."""

from __future__ import annotations

import pytest

from pipeline.cli import outreach


@pytest.mark.parametrize("command", ["run", "inspect", "init", "preview"])
def test_every_command_has_help_with_an_example(run_cli, command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert outreach.commands[command].help


def test_group_help_lists_commands(run_cli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in ("run", "inspect", "init", "preview"):
        assert command in result.output
