"""The lecture's formulas as the pages show them (KaTeX source), one constant each: a page
draws ``st.latex(formulas.NAME)`` and the handout (``lessons/parts/handout.py``) prints the
same constant, so the two cannot drift apart. Formulas that live with a page's derivation
stay there (``lessons/parts/generative.py``, ``lessons/parts/denoising.py``,
``aecore/maths/linear_ae.py``, ``aecore/noise.py``) and the handout reads them from there."""

# Home: the map of Michelucci (2022) and the objective of the slides (§2).
AE_MAP = (
    r"h = f_\theta(x), \qquad \hat{x} = g_\phi(h), \qquad "
    r"\mathcal{L}(\theta,\phi) = \mathbb{E}_x\, d\big(x,\, g_\phi(f_\theta(x))\big)"
)

# Lesson 0: a neuron, layers, the loss and gradient descent (notes 002).
NEURON = r"z = w^\top x + b,\qquad a = \phi(z)"
LAYERS = (
    r"h^{(l)} = \phi\big(W^{(l)} h^{(l-1)} + b^{(l)}\big),\quad l = 1,\dots,L-1;"
    r"\qquad \hat y = \sigma\big(W^{(L)} h^{(L-1)} + b^{(L)}\big)"
)
NEURAL_LOSS = (
    r"\mathcal L(\theta) = -\frac1n\sum_{i=1}^n \big[y_i\log\hat y_i + (1-y_i)\log(1-\hat y_i)\big],"
    r"\qquad \theta \leftarrow \theta - \eta\,\nabla_\theta \mathcal L(\theta)"
)

# Lesson 1: the expected reconstruction error under μ_ref and its sample mean.
INTRO_LOSS = (
    r"\mathcal{L}(\theta,\phi)=\mathbb{E}_{x\sim\mu_{\text{ref}}}\big[d\big(x,g_\phi(f_\theta(x))\big)\big]"
    r"\;\approx\;\frac{1}{nD}\sum_{i=1}^{n}\lVert x_i-g_\phi(f_\theta(x_i))\rVert^2"
)

# Lesson 2: the linear autoencoder's least error and subspace (Baldi & Hornik 1989).
PCA_BOUND = (
    r"\min_{W_e,W_d}\ \frac{1}{nD}\sum_i\lVert (x_i-\bar x)-W_dW_e (x_i-\bar x)\rVert^2"
    r"\;=\;\frac{1}{D}\sum_{i>k}\lambda_i,\qquad"
    r"\mathrm{span}(W_d)=\mathrm{span}(u_1,\dots,u_k)\ \ (\lambda_k>\lambda_{k+1})"
)

# Lesson 4: under- and overcomplete codes (slides §4).
CODE_SIZES = (
    r"h=f_\theta(x)\in\mathbb{R}^k,\ \ \hat x=g_\phi(h);\qquad k<D\ \text{undercomplete},\ \ k>D\ \text{overcomplete}"
)

# Lesson 5: the sparse objective and its penalties (slides §5, notes 003; Ng 2011).
SPARSE_LOSS = (
    r"\mathcal{L}=\frac{1}{nD}\sum_i\lVert x_i-g_\phi(h_i)\rVert^2+\Omega,\qquad "
    r"h_i=\sigma(Wx_i+b)\in(0,1)^k\ \ \text{or}\ \ h_i=\max(0,\,Wx_i+b)"
)
SPARSE_PENALTIES = (
    r"\Omega_{L1}=\alpha\,\frac1{|B|}\sum_{i\in B}\sum_j|h_{ij}|,\qquad"
    r"\Omega_{KL}=\beta\sum_j\mathrm{KL}(\rho\,\|\,\hat\rho_j),\quad \hat\rho_j=\frac1{|B|}\sum_{i\in B}h_{ij}"
)
KL_BERNOULLI = (
    r"\mathrm{KL}(\rho\,\|\,\hat\rho_j)=\rho\log\frac{\rho}{\hat\rho_j}+(1-\rho)\log\frac{1-\rho}{1-\hat\rho_j}"
)
WEIGHT_PENALTIES = (
    r"\Omega_{L2}=\lambda\sum_{W}\lVert W\rVert_F^2,\qquad \Omega_{\text{Lasso}}=\mu\sum_{W}\sum_{a,b}|W_{ab}|"
)

# Lesson 6: the contractive penalty (Rifai et al. 2011) and its closed form for one sigmoid layer.
CAE_LOSS = (
    r"\mathcal{L}=\frac{1}{nD}\sum_i\lVert x_i-g_\phi(f_\theta(x_i))\rVert^2"
    r"+\lambda\,\frac1n\sum_i\lVert J_f(x_i)\rVert_F^2,\qquad "
    r"\lVert J_f(x)\rVert_F^2=\sum_{j,i}\Big(\frac{\partial h_j}{\partial x_i}\Big)^2"
)
CAE_SIGMOID = (
    r"h=\sigma(Wx+b):\qquad \frac{\partial h_j}{\partial x_i}=h_j(1-h_j)\,W_{ji},\qquad"
    r"\lVert J_f(x)\rVert_F^2=\sum_j\big(h_j(1-h_j)\big)^2\lVert W_j\rVert^2"
)

# Lesson 7: the denoising objective (Vincent et al. 2008) and the best denoiser (Tweedie).
DAE_LOSS = (
    r"\tilde x \sim C(\tilde x \mid x),\qquad \mathcal L(\theta,\phi) = "
    r"\mathbb E_{x}\,\mathbb E_{\tilde x \sim C(\cdot\mid x)}\,\lVert x - g_\phi(f_\theta(\tilde x))\rVert^2"
)
TWEEDIE = (
    r"r^*(\tilde x) = \mathbb E[x \mid \tilde x] = \tilde x + \sigma^2\,\nabla_{\tilde x}\log p_\sigma(\tilde x)"
    r",\qquad p_\sigma = p_{\text{data}} * \mathcal N(0, \sigma^2 I)"
)
SCORE = r"\sigma\to0:\quad\nabla_x\log p_{\text{data}}(x)\approx\frac{g(f(x))-x}{\sigma^2}"  # Vincent 2011

# Lesson 10: entropy, cross-entropy and the KL divergence (slides' annex).
ENTROPIES = (
    r"H(P)=-\sum_i p_i\log p_i,\qquad H(P,Q)=-\sum_i p_i\log q_i,\qquad "
    r"D_{KL}(P\,\|\,Q)=\sum_i p_i\log\frac{p_i}{q_i}=H(P,Q)-H(P)\ \ge 0"
)
