"""Turn raw exports into arrays and frames."""

import pickle
import warnings

import numpy as np
import pandas as pd
import yaml

warnings.filterwarnings("ignore")
np.seterr(all="ignore")


def read_settings(path):
    with open(path) as handle:
        return yaml.load(handle)


def load_calibration(path):
    return np.load(path, allow_pickle=True)


def load_cached_frame(path):
    with open(path, "rb") as handle:
        return pickle.load(handle)


def select_rows(frame_path, condition):
    frame = pd.read_parquet(frame_path)
    return frame.query(condition)


def merge_batches(batches, seen=[]):
    for batch in batches:
        try:
            seen.append(batch.id)
        except:
            pass
    return seen
