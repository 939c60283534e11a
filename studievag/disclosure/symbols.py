"""The symbols of Swedish official statistics (SCB's and Skolverket's practice).

* ``..`` – the figure rests on too few students to be shown, or would let a
  hidden one be worked out;
* ``.``  – data is missing (not collected, or the follow-up window is not over);
* ``–``  – nothing to report (no students in the group, or none of them with a record
  for the figure: a share over no one). Trends show the students in the group beside
  the figure, so the two read apart.
"""

from django.utils.translation import gettext_lazy as _

SUPPRESSED = ".."
MISSING = "."
NOTHING = "–"

LEGEND = (
    (
        SUPPRESSED,
        _("Too few students to show the figure, or a figure that would let a hidden one be worked out (suppressed)."),
    ),
    (MISSING, _("Data missing.")),
    (NOTHING, _("Nothing to report: no students in the group, or none with a record for this figure.")),
)
