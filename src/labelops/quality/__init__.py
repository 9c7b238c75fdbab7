"""Quality: how good the labels are.

Glossary: *majority vote* picks each item's most frequent answer; *agreement* is the share of
annotators who gave it. (Gold, chance-corrected agreement and Dawid–Skene come next.)
"""

from labelops.quality.majority import Vote, majority_vote

__all__ = ["Vote", "majority_vote"]
