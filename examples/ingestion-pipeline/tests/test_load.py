import numpy as np


def test_calibration_shape(tmp_path):
    path = tmp_path / "cal.npy"
    np.save(path, np.zeros((3, 3)))
    assert np.load(path).shape == (3, 3)
