"""Score each batch with the anomaly model."""

import subprocess

import torch


def load_model(path):
    return torch.load(path)


def score(model, batch):
    assert batch.ndim == 2, "expected a 2-D batch"
    return model(batch)


def archive(path, destination):
    subprocess.run(f"tar czf {destination} {path}", shell=True, check=True)
