"""How presenter mode splits a page into screens (ui.kit.deck.plan), on part lists shaped like
the lessons': the result first with its main figure, captioned rows one per screen, a grid of
maps on one screen, derivations and extras one each, the settings, the notes a few at a time."""

from __future__ import annotations

from ui.kit.deck import NOTES_PER_SCREEN, Part, plan


def _fig(row: int, captioned: bool = True) -> Part:
    return Part("figure", row, nested=True, captioned=captioned)


def test_claims_beside_the_figure_share_the_first_screen():
    # intro: folds, the settings, then one row with the figure, the numbers and the claims
    parts = [Part("note", 2), Part("note", 4), Part("settings", 6), _fig(9), Part("result", 9), Part("claims", 9)]
    parts += [Part("extra", 10), Part("derivation", 11), Part("note", 12)]
    screens = plan(parts)
    assert screens[0] == [3, 4, 5]
    assert screens[1:] == [[7], [6], [2], [0, 1, 8]]  # derivation, extra, settings, notes


def test_claims_stacked_above_the_figures_leave_them_the_next_screen():
    # pca: numbers and claims at the top level, then two rows of two captioned charts
    parts = [Part("settings", 3), Part("result", 5), Part("claims", 6), _fig(7), _fig(7), _fig(8), _fig(8)]
    screens = plan(parts)
    assert screens[:3] == [[1, 2], [3, 4], [5, 6]]  # captioned rows are not a grid
    assert screens[3] == [0]


def test_four_maps_are_one_screen_and_an_illustration_is_not_the_main_figure():
    # latent: a kernel chart in a fold above the settings, then 2 × 2 maps, a table, the claims
    parts = [Part("figure", 3, nested=True, captioned=False), Part("settings", 5)]
    parts += [_fig(7, False), _fig(7, False), _fig(8, False), _fig(8, False), Part("claims", 12)]
    screens = plan(parts)
    assert screens[0] == [6]  # the claims: stacked under the maps, not beside them
    assert screens[1] == [2, 3, 4, 5]
    assert [0] in screens and screens[-1] == [1]


def test_every_part_is_on_exactly_one_screen_and_notes_are_split():
    notes = 2 * NOTES_PER_SCREEN + 1
    parts = [Part("note", i) for i in range(notes)] + [Part("result", notes), _fig(notes + 1)]
    screens = plan(parts)
    flat = sorted(i for s in screens for i in s)
    assert flat == list(range(len(parts)))
    assert [len(s) for s in screens[-3:]] == [NOTES_PER_SCREEN, NOTES_PER_SCREEN, 1]


def test_a_page_with_no_parts_is_one_screen():
    assert plan([]) == []


def test_a_second_claims_box_has_its_own_screen():
    # denoising: numbers and claims of the score experiment, then the images' numbers and claims
    parts = [Part("settings", 2), Part("result", 4), Part("claims", 5), _fig(6), Part("result", 8), Part("claims", 9)]
    screens = plan(parts)
    assert screens[:3] == [[1, 2], [3], [4, 5]]
