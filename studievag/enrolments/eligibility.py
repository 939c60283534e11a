"""Who may start an introduction programme, and when.

Skollagen 17 kap. 4 §: a student must start an introduction programme no
later than the end of the first half of the calendar year in which they turn
20. After that, adult education (komvux) is the path.
"""

import datetime


def latest_im_start(date_of_birth: datetime.date) -> datetime.date:
    """The last day a person born on ``date_of_birth`` can start an IM programme."""
    return datetime.date(date_of_birth.year + 20, 6, 30)


def may_start_im(date_of_birth: datetime.date, start: datetime.date) -> bool:
    return start <= latest_im_start(date_of_birth)
