"""The orchestrator's own helpers."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from pipeline.drafts import choose_channel
from pipeline.run import suggested_channels


def test_suggested_channels_agree_with_choose_channel_row_by_row() -> None:
    values = {
        "is_connection": [True, False],
        "in_conversation": [True, False],
        "email": ["ann@x.com", "", np.nan],
        "email_opt_out": [True, False],
        "invited": [True, False],
        "linkedin_url": ["https://www.linkedin.com/in/ann", "", np.nan],
    }
    frame = pd.DataFrame(list(itertools.product(*values.values())), columns=list(values))
    expected = [choose_channel(row)[0] for row in frame.fillna("").to_dict("records")]
    assert list(suggested_channels(frame)) == expected
