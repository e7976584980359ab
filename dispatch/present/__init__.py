"""One model of the present per process: see ``dispatch.present.live``."""

from dispatch.present.calls import Call, caller_counts
from dispatch.present.live import Present
from dispatch.present.model import KEEP_ALL, Applied, PresentState, Windows

__all__ = ["KEEP_ALL", "Applied", "Call", "Present", "PresentState", "Windows", "caller_counts"]
