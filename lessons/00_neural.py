"""Lesson 0: neural networks in one page — a neuron, layers, a loss, gradient descent and
the chain rule, trained live on a toy in the plane; universal approximation as width
against error."""

import streamlit as st

from aecore.experiments import get
from aecore.experiments.neural import NETWORK, NEURON, NeuralConfig
from aecore.figures import neural as fn
from aecore.maths import neuralnet
from lessons.parts import formulas
from ui.kit.derivation import Step, derivation
from ui.kit.i18n import stage_labels, t
from ui.kit.page import chart, code_expander, labels, loss_chart, metric_row, num, prose
from ui.kit.references import sources
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel

LESSON = "neural"
FIELDS = ["toy", "noise", "depth", "width", "activation", "epochs", "lr", "function", "max_width", "seed"]


st.title(t("neural.title"))
objectives(LESSON)
prose(t("neural.explain_neuron"))
st.latex(formulas.NEURON)
prose(t("neural.explain_layers"))
st.latex(formulas.LAYERS)
prose(t("neural.explain_loss"))
st.latex(formulas.NEURAL_LOSS)

cfg = settings_form(LESSON, NeuralConfig(), FIELDS, columns=4)
st.caption(t("neural.data_note"))
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    pct = "{:.1%}".format
    metric_row(
        LESSON,
        m,
        ("neuron_test_accuracy", "network_test_accuracy", "backprop_max_error", "uat_best_rel_mse"),
        {"neuron_test_accuracy": pct, "network_test_accuracy": pct, "backprop_max_error": 2, "uat_best_rel_mse": 3},
    )
    claims_box(LESSON, get(LESSON), m)
    left, right = st.columns(2)
    with left:
        names = labels("neural.fig", "network", "class0", "class1", "neuron", "x1", "x2", title="regions")
        w = a["surface"]["path"][-1]
        fig = fn.decision_figure(a["regions"], a["X"], a["y"], w, names)
        acc = dict(n=a["n_test"], network=pct(m["network_test_accuracy"]), neuron=pct(m["neuron_test_accuracy"]))
        chart(fig, "neural.regions", t("neural.fig.regions_summary", **acc))
    with right:
        st.caption(t("neural.fig.surface_note"))
        names = labels("neural.fig", "log_loss", "arrows", "path", "start", "end", "w1", "w2", title="surface")
        limit, ups = m["neuron_lr_limit"], int(m["neuron_steps_up"])
        variant = "safe" if cfg.lr < limit and ups == 0 else "risky" if cfg.lr >= limit else "unlucky"
        numbers = dict(steps=cfg.epochs, lr=num(cfg.lr), limit=num(limit, 3), ups=ups)
        numbers |= dict(start=num(m["neuron_loss_start"]), end=num(m["neuron_loss_end"]))
        chart(fn.surface_figure(a["surface"], names), "neural.surface", t(f"neural.fig.surface_{variant}", **numbers))
    derivation(
        "neural.backprop",
        t("neural.derivation.title"),
        [
            Step(
                r"z^{(l)} = W^{(l)}h^{(l-1)} + b^{(l)},\quad h^{(l)} = \phi(z^{(l)}),\quad \hat y = \sigma(z^{(L)})",
                t("neural.derivation.forward"),
            ),
            Step(
                r"\mathcal L = \frac1n\sum_{i=1}^n \ell_i,\quad \ell_i = -y_i\log\hat y_i-(1-y_i)\log(1-\hat y_i)",
                t("neural.derivation.loss"),
                t("neural.derivation.loss_check", value=num(m["network_loss_start"])),
            ),
            Step(
                r"\delta^{(L)}_i = \frac{\partial\mathcal L}{\partial z^{(L)}_i} = \frac{\hat y_i - y_i}{n}",
                t("neural.derivation.output"),
            ),
            Step(
                r"\delta^{(l)} = \big(W^{(l+1)\top}\delta^{(l+1)}\big)\odot\phi'\big(z^{(l)}\big)",
                t("neural.derivation.backward"),
            ),
            Step(
                r"\frac{\partial\mathcal L}{\partial W^{(l)}} = \sum_i \delta^{(l)}_i\, h^{(l-1)\top}_i,\quad"
                r"\frac{\partial\mathcal L}{\partial b^{(l)}} = \sum_i \delta^{(l)}_i",
                t("neural.derivation.params"),
                t("neural.derivation.params_check", value=num(m["backprop_max_error"], 2)),
            ),
            Step(
                r"\theta \leftarrow \theta - \eta\,\nabla_\theta\mathcal L",
                t("neural.derivation.update"),
                t(
                    "neural.derivation.update_check",
                    steps=cfg.epochs,
                    lr=num(cfg.lr),
                    start=num(m["network_loss_start"]),
                    end=num(m["network_loss_end"]),
                ),
            ),
        ],
    )
    code_expander(t("neural.source"), neuralnet.backprop)
    prose(t("neural.explain_uat"))
    widths, errors = a["widths"], a["errors"]
    names = labels("neural.fig", "fits", "errors", "truth", "width", "error", "x_width", "y_error")
    rel = {"first": num(errors[0], 3), "last": num(errors[-1], 3), "widest": int(widths[-1])}
    rel |= {"best": num(m["uat_best_rel_mse"], 3), "best_width": int(m["uat_best_width"])}
    rises = int(m["uat_rises"])
    caption = (
        t("neural.fig.uat_rises", rises=rises, doublings=len(widths) - 1, **rel)
        if rises
        else t("neural.fig.uat_monotone", **rel)
    )
    left, right = st.columns(2)  # side by side on a screen, stacked on a phone
    with left:
        chart(fn.fits_figure(a["fits"], widths, names), "neural.uat_fits")
    with right:
        chart(fn.width_error_figure(widths, errors, names), "neural.uat", caption)
    with st.expander(t("neural.loss_title")):
        curves = stage_labels({k: v for k, v in res.histories.items() if k in (NEURON, NETWORK)})
        loss_chart(curves, "neural.loss")
    prose(t("neural.takeaway"))
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources("neural")
