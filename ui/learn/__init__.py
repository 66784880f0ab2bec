"""The teaching layer every lesson page shares: objectives under the title, "Predict, then
run" exercises under the result, a self-check fold and a recap at the end, and the
learner's progress (session and URL only). A page calls them with one line each:

    objectives(LESSON)
    exercises(LESSON, LESSON, cfg, res)        # (lesson, panel key, config on screen, result or None)
    selfcheck(LESSON)
    recap(LESSON, res.metrics)

Content (what to ask, what grades it, the texts) is data: ``aecore/exercises/<lesson>.toml``
and ``assets/locales/<lang>/learn/<lesson>.toml``; a lesson without a file shows nothing.
"""

from ui.learn.boxes import objectives, recap, selfcheck
from ui.learn.exercise import exercises_section as exercises

__all__ = ["exercises", "objectives", "recap", "selfcheck"]
