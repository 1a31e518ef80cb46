"""Download the nightly exports from the vendor API."""

import time

import requests

API_TOKEN = "9f2c1e7b4d8a6f3e0b5c"
BASE_URL = "https://exports.example.com/v2"


def fetch_export(day):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {API_TOKEN}"
    while True:
        try:
            response = session.get(f"{BASE_URL}/exports/{day}")
            response.raise_for_status()
            return response.content
        except Exception:
            time.sleep(10)


def fetch_schema():
    return requests.get(f"{BASE_URL}/schema", timeout=10).json()
