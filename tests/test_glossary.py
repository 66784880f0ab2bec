"""pt and es catalogs follow the glossary and leave no English UI text behind.

* Glossary (``assets/locales/glossary.toml``): every pt/es catalog value is searched with the
  ``[avoid.<lang>]`` regexes (case-insensitive); a hit names file, key, the match and the term to use.
  The ``[[term]]`` table parses and gives en, pt and es for each term.
* No English left: a pt/es value whose key exists in English fails when, once LaTeX, placeholders,
  markup, URLs, code spans and the allow-list below are removed, it is still identical to the
  English value or contains a common English word. Option values (``options.toml``), stage names
  (``stages.toml``), axis titles and legends are catalog values like any other, so they are included.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.i18n_scan import LOCALES, REF
from ui.kit.i18n import catalog_files as i18n_files
from ui.kit.i18n import catalog_prefix, flatten

LANGS = ("pt", "es")
GLOSSARY = LOCALES / "glossary.toml"

# Common English words that are not Portuguese or Spanish words ("a", "de", "no", "para", "as",
# "do", "se", "come", "once", "red", "son", "con", "real", "total", "final", "linear", "some" are,
# so they are not here). Left out too: loanwords pt-BR uses ("upload", "download", "link"), and
# "score", which the lessons keep as in "score matching".
ENGLISH_WORDS = frozenset(
    """
    the and of with from to is are was were be been this that these those which what when where
    why how who your you our we it its they their them than then there here into onto over under
    after before between without within about above below only each every both all any more most
    less least not but or if so such also other can could may might must should would will has
    have had does did done same very just per by at on in off up out down one two three four
    training train trained loss losses error errors epoch epochs data dataset code codes weight
    weights layer layers hidden input inputs output outputs sample samples noise noisy clean image
    images digit digits seed seeds step steps rate learning mean value values model models point
    points curve curves show shows shown run runs running click press button page lesson lessons
    number size width depth latent space reconstruction reconstructed held random unit units true
    false yes left right top bottom distance test tested accuracy baseline penalty sparsity
    gradient field network neuron distribution dimension dimensions smooth nonlinear deep shallow
    fit fitted measured measure read see new learned learns learn encoding decoding sampling
    prediction predicted target targets label labels class feature features anomaly
    anomalies plot slider checkbox settings setting preset presets uploaded file files skip
    connection connections
    """.split()
)
# Words spelled the same in English and in the language (skipped by both checks).
NATIVE = {
    "pt": frozenset({"original", "slides", "bits", "nats"}),
    "es": frozenset({"original", "error", "color", "bits", "nats"}),
}
# Short symbols are the same in every language: acronyms (PCA, ELBO, MSE) and function names.
MATH_WORDS = frozenset({"log", "exp", "cos", "sin", "tanh", "max", "min", "var", "det", "tr"})

# Terms removed before the check (case-insensitive, whole words). Keep it short; each line says why.
ALLOWED = (
    # The glossary keeps these English terms in pt and es (slides and notes use them).
    "autoencoders?",
    "encoders?",
    "decoders?",
    "prior",
    "posterior",
    "sparse",
    "denoising",
    "undercomplete",
    "overcomplete",
    "manifold",
    "tied",
    # Layer, activation and method names used untranslated in the literature.
    "dropout",
    "ReLU",
    "top-k",
    "t-SNE",
    "UMAP",
    "U-Net",
    "Dice",
    "ROC",
    "AUC",
    r"\(skip connections?\)",  # the U-Net's term, glossed in parentheses after its translation
    # Proper names: the app, libraries, data sets, optimizers, distributions, methods.
    "Autoencoder Lab",
    "PyTorch",
    "Streamlit",
    "OpenML",
    "Adam",
    "Fashion-MNIST",
    "MNIST",
    "Bernoulli",
    "Monte Carlo",
)
ALLOWED_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted(ALLOWED, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE
)

# Keys that must read the same in every language: the glossary's column titles name each
# language in its own tongue ("English", "Português (slides)").
EXEMPT_KEYS = frozenset({"references.col.en", "references.col.pt"})

# Markup that is not prose: removed before looking for English words (order matters).
NOT_PROSE = (
    r"```.*?```",  # fenced code
    r"`[^`]*`",  # code spans
    r"\$\$.*?\$\$",  # display LaTeX
    r"\$[^$]*\$",  # inline LaTeX
    r"\\\(.*?\\\)",  # LaTeX \( ... \)
    r"\{[^{}]*\}",  # str.format placeholders
    r"https?://\S+",  # URLs
    r"\]\([^)]*\)",  # markdown link targets
    r"<su[bp]>[^<]*</su[bp]>",  # plotly sub/superscripts: indices of symbols (W<sub>enc</sub>)
    r"<[^>]+>",  # HTML tags
    r":material/[a-z_]+:",  # Streamlit icons
    r":[a-z]+\[",  # Streamlit colour markup ":red[" (the text inside stays)
    r"[\w.-]*[_/][\w./-]*",  # identifiers, file names and paths (x_train, data/README.md)
    r"[\w-]+\.(?:npz|npy|md|py|toml|csv|gz|json|safetensors|png)\b",  # file names
    r"\w+=\S+",  # code arguments (output='sigmoid', k=8)
)
NOT_PROSE_RE = re.compile("|".join(NOT_PROSE), re.DOTALL)
WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:'[A-Za-z]+)?")  # Latin words; Greek letters are symbols


def catalog_files(lang: str) -> dict[str, dict[str, str]]:
    """file name -> {full key: text} for one language (keys as ``ui.kit.i18n`` builds them)."""
    out = {}
    folder = LOCALES / lang
    for path in i18n_files(folder):  # learn/<lesson>.toml too
        with path.open("rb") as fh:
            flat = flatten(tomllib.load(fh), catalog_prefix(folder, path))
        out[path.relative_to(folder).as_posix()] = {k: v for k, v in flat.items() if isinstance(v, str)}
    return out


def load_glossary() -> dict:
    with GLOSSARY.open("rb") as fh:
        return tomllib.load(fh)


def glossary_hits(text: str, avoid: dict[str, str]) -> list[tuple[str, str]]:
    """(offending match, suggested term) for every ``avoid`` pattern found in ``text``."""
    return [(m.group(0), use) for pat, use in avoid.items() for m in re.finditer(pat, text, re.IGNORECASE)]


def words(text: str, lang: str, allowed: bool = True) -> list[str]:
    """Latin words of ``text`` outside markup, formulas, placeholders, code and URLs, less the
    words ``lang`` spells like English and (when ``allowed``) the allowed terms."""
    text = NOT_PROSE_RE.sub(" ", text)
    text = ALLOWED_RE.sub(" ", text) if allowed else text
    return [w for w in WORD_RE.findall(text) if w.lower() not in NATIVE[lang]]


def english_left(text: str, english: str, lang: str) -> str | None:
    """Why ``text`` (a ``lang`` value) still reads as English, or None."""
    mine = words(text, lang)
    content = [w for w in mine if len(w) > 2 and not w.isupper() and w.lower() not in MATH_WORDS]
    if content and words(text, lang, allowed=False) == words(english, lang, allowed=False):
        return "identical to English"
    found = sorted({w for w in mine if w.lower() in ENGLISH_WORDS})
    return f"English words {found}" if found else None


# ---------------------------------------------------------------- glossary


def test_glossary_terms_parse():
    glossary = load_glossary()
    terms = glossary.get("term", [])
    assert len(terms) >= 10, "glossary.toml: expected a [[term]] table"
    for term in terms:
        missing = [lang for lang in (REF, *LANGS) if not str(term.get(lang, "")).strip()]
        assert not missing, f"glossary term {term!r} lacks {missing}"
    for lang in LANGS:
        avoid = glossary.get("avoid", {}).get(lang)
        assert avoid, f"glossary.toml: no [avoid.{lang}] table"
        for pattern, use in avoid.items():
            re.compile(pattern)
            assert use.strip(), f"[avoid.{lang}] {pattern!r}: say what to write instead"


def test_glossary_check_catches_a_planted_slip():
    avoid = load_glossary()["avoid"]
    assert glossary_hits("Treine o codificador e a PCA.", avoid["pt"])
    assert not glossary_hits("Treine o encoder (codificador) e o PCA.", avoid["pt"])
    assert glossary_hits("El autocodificador aproxima la posterior.", avoid["es"])


@pytest.mark.parametrize("lang", LANGS)
def test_catalogs_follow_the_glossary(lang):
    avoid = load_glossary()["avoid"][lang]
    bad = [
        f"{lang}/{name} {key}: {found!r} -> {use}"
        for name, table in catalog_files(lang).items()
        for key, text in table.items()
        for found, use in glossary_hits(text, avoid)
    ]
    assert not bad, f"{len(bad)} glossary slips (file key: match -> use):\n  " + "\n  ".join(bad)


# ---------------------------------------------------------------- no English left


def test_english_check_catches_planted_english():
    assert english_left("Training loss", "Training loss", "pt") == "identical to English"
    assert english_left("Perda de training", "Training loss", "pt")
    assert not english_left("Perda de treinamento do autoencoder", "Training loss", "pt")
    assert not english_left("$\\|x - g(f(x))\\|^2$ em {epochs} épocas", "$\\|x\\|$ in {epochs} epochs", "pt")
    assert not english_left("el error del encoder", "the encoder's error", "es")


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_left(lang):
    english = {k: v for table in catalog_files(REF).values() for k, v in table.items()}
    bad = [
        f"{lang}/{name} {key}: {why}: {text!r}"
        for name, table in catalog_files(lang).items()
        for key, text in table.items()
        if key in english and key not in EXEMPT_KEYS
        if (why := english_left(text, english[key], lang))
    ]
    assert not bad, f"{len(bad)} English texts in {lang} (file key: why: text):\n  " + "\n  ".join(bad)
