"""Write the fictional user's messages.csv and Invitations.csv (FORMATS.md §1.4, §1.5)."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from devtools.linkedin_formats import MSG_2018_SOURCE, Era, ExportOwner, csv_text
from devtools.pools import ObjArray, load_pools
from devtools.variants import format_us_short, objects, random_dates, truth_frame


def _conversation_id(rng: np.random.Generator) -> str:
    raw = bytes(rng.integers(0, 256, 27, dtype=np.uint8))
    return "2-" + base64.b64encode(raw).decode("ascii")


def _utc(ts: np.datetime64) -> str:
    return str(ts.astype("datetime64[s]")).replace("T", " ") + " UTC"


def write_messages(
    folder: Path,
    partners: pd.DataFrame,
    names: ObjArray,
    owner: ExportOwner,
    era: Era,
    rng: np.random.Generator,
) -> pd.DataFrame:
    pools = load_pools()
    records: list[tuple[np.datetime64, dict[str, str], str]] = []
    end = np.datetime64(dt.datetime.combine(era.export_date, dt.time(9)), "s")
    for i, (_, person) in enumerate(partners.iterrows()):
        template = pools.conversations[i % len(pools.conversations)]
        conv_id = _conversation_id(rng)
        when = end - np.timedelta64(int(rng.integers(3600, 240 * 86400)), "s")
        url = "https://www.linkedin.com/in/" + person["linkedin_slug"]
        fill = {
            "first": names[i].split(" ")[0],
            "company": person["employer"],
            "title": person["title"].lower(),
            "me": owner.first,
            "school": owner.school,
        }
        for who, text in template["turns"]:
            content = text.format(**fill)
            if not era.raw_newlines:
                content = content.replace("\n", "<br>")
            mine = who == "me"
            row = {
                "CONVERSATION ID": conv_id,
                "CONVERSATION TITLE": "",
                "FROM": owner.name if mine else names[i],
                "SENDER PROFILE URL": owner.url if mine else url,
                "TO": names[i] if mine else owner.name,
                "RECIPIENT PROFILE URLS": url if mine else owner.url,
                "DATE": _utc(min(when, end)),
                "SUBJECT": template["subject"],
                "CONTENT": content,
                "FOLDER": "INBOX",
                "ATTACHMENTS": "",
                "IS MESSAGE DRAFT": "No",
                "IS CONVERSATION DRAFT": "No",
                "Direction": "OUTGOING" if mine else "INCOMING",
            }
            for old, new in MSG_2018_SOURCE.items():
                row[old] = row[new]
            records.append((min(when, end), row, str(person["person_id"])))
            when = when + np.timedelta64(int(rng.integers(600, 3 * 86400)), "s")
    records.sort(key=lambda r: r[0], reverse=True)
    header = list(era.messages_header)
    body = [[r[h] for h in header] for _, r, _ in records]
    text = csv_text(header, body, quote_all=era.messages_quoted)
    (folder / "messages.csv").write_bytes(text.encode("utf-8"))
    # A record starts on the line after the previous record's last physical line.
    line, starts = 2, []
    for values in body:
        starts.append(line)
        line += 1 + sum(v.count("\n") for v in values)
    return truth_frame(
        "messages.csv", np.array(starts), np.array([pid for _, _, pid in records], dtype=object)
    )


def write_invitations(
    folder: Path, invitees: pd.DataFrame, owner: ExportOwner, era: Era, rng: np.random.Generator
) -> pd.DataFrame:
    pools = load_pools()
    n = len(invitees)
    header = ["From", "To", "Sent At", "Message", "Direction"]
    if era.invitation_urls:
        header += ["inviterProfileUrl", "inviteeProfileUrl"]
    sent = random_dates(rng, np.full(n, np.datetime64(era.export_date, "D") - 40), era.export_date)
    order = np.argsort(sent)[::-1]
    field_label = {f.key: f.label.split(" & ")[0].lower() for f in pools.fields}
    sent_at = format_us_short(sent[order], rng)
    records, pids = [], []
    for k, i in enumerate(order):
        person = invitees.iloc[int(i)]
        first = (person["nickname"] or person["first"]) if rng.random() < 0.3 else person["first"]
        note = ""
        if rng.random() < 0.35:
            template = pools.invitation_notes[int(rng.integers(0, len(pools.invitation_notes)))]
            note = template.format(
                first=first, school=owner.school, company=person["employer"],
                field=field_label.get(person["field"], "your field"),
            )[:200]  # fmt: skip
        row = [owner.name, f"{first} {person['last']}", sent_at[k], note, "OUTGOING"]
        if era.invitation_urls:
            row += [owner.url, "https://www.linkedin.com/in/" + person["linkedin_slug"]]
        records.append(row)
        pids.append(person["person_id"])
    (folder / "Invitations.csv").write_bytes(csv_text(header, records).encode("utf-8"))
    return truth_frame("Invitations.csv", np.arange(2, n + 2), np.array(pids, dtype=object))


def choose_partners(
    people: pd.DataFrame, k: int, owner: ExportOwner, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    eligible = np.flatnonzero(people["level"].to_numpy() >= 1)
    if k <= 0 or not len(eligible):
        return np.zeros(0, dtype=np.int64)
    w = np.where(np.isin(objects(people["field"])[eligible], owner.target_fields), 4.0, 1.0)
    return eligible[rng.choice(len(eligible), min(k, len(eligible)), replace=False, p=w / w.sum())]
