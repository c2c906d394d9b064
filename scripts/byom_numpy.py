import numpy as np
from safetensors.numpy import save_file
d = np.loadtxt("data/digits.csv", delimiter=",", dtype=np.float32)
test = np.loadtxt("data/digits-test-rows.txt", dtype=int); train = np.setdiff1d(np.arange(len(d)), test)
x, y, n = d[:, :64] / 16, d[:, 64].astype(int), len(train)
rng = np.random.default_rng(0); W1, b1 = rng.normal(0, 0.1, (64, 64)).astype(np.float32), np.zeros(64, np.float32)
W2, b2 = rng.normal(0, 0.1, (64, 10)).astype(np.float32), np.zeros(10, np.float32)
for step in range(2000):  # full-batch gradient descent on the softmax cross-entropy
    h = np.maximum(x[train] @ W1 + b1, 0); z = h @ W2 + b2; p = np.exp(z - z.max(1, keepdims=True)); p /= p.sum(1, keepdims=True); p[np.arange(n), y[train]] -= 1
    gh = p @ W2.T * (h > 0); W2 -= 0.5 * h.T @ p / n; b2 -= 0.5 * p.mean(0); W1 -= 0.5 * x[train].T @ gh / n; b1 -= 0.5 * gh.mean(0)
print("test accuracy:", ((np.maximum(x[test] @ W1 + b1, 0) @ W2 + b2).argmax(1) == y[test]).mean())
save_file({"W1": W1, "b1": b1, "W2": W2, "b2": b2}, "my-mlp.safetensors", metadata={"weight_layout": "in_out"})
