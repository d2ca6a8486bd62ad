"""profile.toml errors name the key and the line; `init` never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ProfileError
from pipeline.profile import load_profile

GOOD = """\
[me]
name = "Alex Rivera"
grad_year = 2026

[target]
field = "Data Science"
roles = ["data scientist"]

[columns."alumni_2024.xlsx"]
"Pref Mail" = "email"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_profile_loads(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, GOOD))
    assert profile.me.name == "Alex Rivera"
    assert profile.target.roles == ("data scientist",)
    assert profile.columns == {"alumni_2024.xlsx": {"Pref Mail": "email"}}
    assert profile.drafts.top == 50


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("grad_year = 2026", 'grad_year = "2026"'), "line 3: me.grad_year should be"),
        (GOOD.replace('name = "Alex Rivera"', 'nmae = "Alex"'), "line 2: unknown key 'me.nmae'"),
        (
            GOOD.replace('field = "Data Science"\n', ""),
            "line 5: missing required key 'target.field'",
        ),
        (
            GOOD.replace('roles = ["data scientist"]', 'roles = "data scientist"'),
            "line 7: target.roles",
        ),
        (GOOD + "\n[weights]\nrole = 3\n", "line 13: unknown weight 'role'"),
        (GOOD.replace('"email"', '"e-mail"'), 'line 10: column "Pref Mail" is mapped to unknown'),
        (GOOD + "\n[extras]\n", "line 12: unknown table [extras]"),
        ('[me]\nname = "A\n', "not valid TOML"),
    ],
)
def test_profile_errors_name_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ProfileError) as error:
        load_profile(write(tmp_path, text))
    assert expected in str(error.value)


def test_missing_profile_points_to_init(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="outreach init"):
        load_profile(tmp_path / "profile.toml")


def test_init_writes_once_and_prefills_from_export(run_cli, tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    (export / "Profile.csv").write_text(
        "First Name,Last Name,Maiden Name,Address,Birth Date,Headline\nAlex,Rivera,,,,Student\n",
        encoding="utf-8",
    )
    (export / "Education.csv").write_text(
        "School Name,Start Date,End Date,Notes,Degree Name,Activities\n"
        "Northfield University,Sep 2022,May 2026,,BS,\nLincoln High,2018,2022,,,\n",
        encoding="utf-8",
    )
    target = tmp_path / "profile.toml"
    result = run_cli("init", "--from", str(export), "--profile", str(target))
    assert result.exit_code == 0, result.output
    profile = load_profile(target)
    assert profile.me.name == "Alex Rivera"
    assert profile.me.school == "Northfield University"
    assert profile.me.grad_year == 2026
    again = run_cli("init", "--profile", str(target))
    assert again.exit_code == 1
    assert "already exists" in again.output
