#!/usr/bin/python3
"""Reference values for ai.goldkd.ood.FeatureDistance, computed plainly with PyTorch in float64.

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_feature_distance_golden.py
Writes feature_distance.json beside this script. The features (N, D) and labels come from a seeded
generator (three classes, one of them shifted, D > classes so the tied covariance is full rank only with
the ridge on a small N); the scores are written from the papers' definitions, not from the Java code:

  Mahalanobis, tied covariance (Lee et al., 2018):
    mu_k = mean of f_i with y_i = k;  S = 1/N sum_i (f_i - mu_{y_i})(f_i - mu_{y_i})^T
    Sigma = S + ridge * trace(S) / D * I
    label-free:  min_k (f - mu_k)^T Sigma^-1 (f - mu_k);   own label: the same at k = y
  k-th nearest neighbour on unit-length features (Sun et al., 2022):  || z_i - z_(k) ||, others only
"""
import json
import os

import torch

N, D, K = 12, 5, 3
RIDGE = 1e-3
NEIGHBOURS = [1, 3]

gen = torch.Generator().manual_seed(20261203)
features = torch.randn(N, D, generator=gen).float()
labels = torch.tensor([0, 1, 2] * (N // 3))
features[labels == 2] += 1.5  # one class elsewhere


def mahalanobis(f, y, own):
    f = f.double()
    means = torch.stack([f[y == k].mean(0) for k in range(K)])
    centred = f - means[y]
    s = centred.T @ centred / f.shape[0]
    sigma = s + RIDGE * torch.trace(s) / D * torch.eye(D, dtype=torch.float64)
    inv = torch.linalg.inv(sigma)
    d = torch.stack([((f - means[k]) @ inv * (f - means[k])).sum(-1) for k in range(K)], dim=1)  # (N, K)
    return (d.gather(1, y[:, None])[:, 0] if own else d.min(1).values).tolist()


def knn(f, k):
    z = torch.nn.functional.normalize(f.double(), dim=1)
    dist = torch.cdist(z, z)
    dist.fill_diagonal_(float("inf"))
    return dist.sort(1).values[:, k - 1].tolist()


def main():
    out = {
        "torch_version": torch.__version__,
        "features": features.tolist(),
        "labels": labels.tolist(),
        "classes": K,
        "ridge": RIDGE,
        "mahalanobis_min": mahalanobis(features, labels, False),
        "mahalanobis_own": mahalanobis(features, labels, True),
        "knn": {str(k): knn(features, k) for k in NEIGHBOURS},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "feature_distance.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
