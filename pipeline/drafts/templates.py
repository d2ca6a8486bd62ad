"""Message templates: built-in files, overridable one by one, checked strictly before use."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    meta,
    pass_context,
)
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.runtime import Context

from pipeline.datafiles import templates_dir
from pipeline.errors import TemplateError

TEMPLATE_NAMES = (
    "linkedin_note",
    "linkedin_message",
    "recontact",
    "email",
    "email_subject",
    "follow_up",
    "follow_up_after_note",
    "thank_you",
)
VARIABLES = (
    "first_name",
    "name",
    "title",
    "role",
    "a_role",
    "company",
    "role_phrase",
    "shared_context",
    "is_alum",
    "is_connection",
    "in_conversation",
    "invited",
    "target_company",
    "class_year",
    "same_era",
    "field",
    "intro",
    "intro_at_school",
    "intro_mentions_field",
    "my_name",
    "my_first_name",
    "my_status",
    "my_class_year",
    "school",
    "school_short",
    "sign_off",
    "sent_phrase",
    "channel",
    "step",
    "compact",
)
FUNCTIONS = ("vary",)
SEED = "_seed"  # the context key that makes vary() pick per contact


@pass_context
def vary(context: Context, *options: str) -> str:
    """Pick one of the options, the same one every run for the same contact."""
    if not options:
        return ""
    seed = f"{context.get(SEED, '')}\x1f" + "\x1f".join(str(o) for o in options)
    index = int(hashlib.sha1(seed.encode()).hexdigest()[:8], 16) % len(options)
    return str(options[index])


class Templates:
    """The message templates: built-in files, each overridable by a file in the user's folder."""

    def __init__(self, user_dir: Path | None = None) -> None:
        loaders = []
        if user_dir is not None:
            if not user_dir.is_dir():
                raise TemplateError(
                    "templates folder not found",
                    where=str(user_dir),
                    fix="Fix [drafts] templates in profile.toml, or remove it to use the "
                    "built-in templates.",
                )
            loaders.append(FileSystemLoader(str(user_dir)))
        loaders.append(FileSystemLoader(str(templates_dir())))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        # jinja's own 'capitalize' lower-cases the rest ('Northfield' -> 'northfield').
        self.env.filters["capfirst"] = lambda text: str(text)[:1].upper() + str(text)[1:]
        # {% filter paragraph %}: write a paragraph over several template lines, send it as one.
        # The newline after it keeps the blank line that trim_blocks takes after {% endfilter %}.
        self.env.filters["paragraph"] = lambda text: " ".join(str(text).split()) + "\n"
        self.env.globals["vary"] = vary
        self.uses: dict[str, frozenset[str]] = {}
        for name in TEMPLATE_NAMES:
            for form in ("long", "short"):
                self._check(f"{name}.{form}.j2")

    def _check(self, name: str) -> None:
        """Fail now, naming file and line, on a syntax error or an unknown variable."""
        assert self.env.loader is not None
        source, filename, _ = self.env.loader.get_source(self.env, name)
        try:
            parsed = self.env.parse(source, name=name, filename=filename)
            # Compiling finds what parsing does not, such as a filter that does not exist.
            self.env.compile(parsed, name=name, filename=filename)
        except TemplateSyntaxError as error:
            raise TemplateError(
                f"template syntax error: {error.message}",
                where=f"{filename}:{error.lineno}",
                fix="Fix the template, or delete it to use the built-in one.",
            ) from error
        used = meta.find_undeclared_variables(parsed)
        unknown = sorted(used - set(VARIABLES) - set(FUNCTIONS))
        if unknown:
            line = _line_of(source, unknown[0])
            raise TemplateError(
                f"unknown variable '{unknown[0]}'",
                where=f"{filename}:{line}",
                fix=f'Use one of: {", ".join(VARIABLES)} (and vary("a", "b", ...)).',
            )
        self.uses[name] = frozenset(used)

    def variables(self, name: str, form: str) -> frozenset[str]:
        """Return the variables one template refers to."""
        return self.uses[f"{name}.{form}.j2"]

    def render(self, name: str, form: str, context: Mapping[str, Any], seed: str) -> str:
        """Render one template; a note is one paragraph, other messages keep their lines."""
        template = self.env.get_template(f"{name}.{form}.j2")
        try:
            text = template.render(**context, **{SEED: seed})
        except (JinjaTemplateError, TypeError, ValueError, ArithmeticError) as error:
            where = template.filename or name
            raise TemplateError(
                f"cannot render ({error})",
                where=f"{where}:{_failing_line(error, where)}",
                fix="Fix the template, or delete it to use the built-in one.",
            ) from error
        if name in ("linkedin_note", "email_subject"):
            return tidy_spaces(" ".join(text.split()))
        lines = [tidy_spaces(line) for line in text.strip().splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def tidy_spaces(line: str) -> str:
    """Close the gaps a variable leaves: double spaces, a space before a comma, 'Inc..'."""
    line = re.sub(r"(?<=\S) {2,}", " ", line.rstrip())
    line = re.sub(r"(?<!\.)\.\.(?!\.)", ".", line)  # 'at Acme Inc..' -> 'at Acme Inc.'
    return re.sub(r" +([,.!?;:])(?=\s|$)", r"\1", line)


def _failing_line(error: BaseException, filename: str) -> int:
    """Return the template line a render error came from (jinja maps its frames to lines)."""
    line, trace = 1, error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == filename:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _line_of(source: str, variable: str) -> int:
    pattern = re.compile(rf"\b{re.escape(variable)}\b")
    for number, line in enumerate(source.splitlines(), start=1):
        if pattern.search(line):
            return number
    return 1
