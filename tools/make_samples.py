"""Write the bundled sample datasets to ``resources/datasets`` and their index ``samples.json``.

Re-runnable and deterministic: the English samples come from the datasets that ship inside
scikit-learn (nothing is downloaded), the Korean ones are synthesised with a fixed seed.

    python tools/make_samples.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn import datasets as skd

OUT = Path(__file__).resolve().parents[1] / "resources" / "datasets"
SEED = 20240611


def _whole_numbers_as_int(df: pd.DataFrame) -> pd.DataFrame:
    """Columns that hold only whole numbers are written without ``.0``."""
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_float_dtype(s) and s.notna().all() and (s == s.round()).all():
            df[c] = s.astype("int64")
    return df


def iris() -> pd.DataFrame:
    b = skd.load_iris()
    df = pd.DataFrame(b.data, columns=["sepal_length", "sepal_width", "petal_length",
                                       "petal_width"])
    df["species"] = b.target_names[b.target]
    return df


def wine() -> pd.DataFrame:
    b = skd.load_wine()
    df = pd.DataFrame(b.data, columns=b.feature_names)
    df["cultivar"] = b.target_names[b.target]
    return _whole_numbers_as_int(df)


def breast_cancer() -> pd.DataFrame:
    b = skd.load_breast_cancer()
    df = pd.DataFrame(b.data, columns=b.feature_names)
    df["diagnosis"] = b.target_names[b.target]
    return df


def diabetes() -> pd.DataFrame:
    b = skd.load_diabetes(scaled=False)
    df = pd.DataFrame(b.data, columns=b.feature_names)
    df["progression"] = b.target
    return _whole_numbers_as_int(df)


def korean_housing(n: int = 800) -> pd.DataFrame:
    """Apartment prices (만원) from region, size, age, distance to a station, floor, parking."""
    rng = np.random.default_rng(SEED)
    regions = np.array(["서울", "부산", "대구", "인천", "광주"])
    rate = {"서울": 1350.0, "부산": 560.0, "대구": 480.0, "인천": 520.0, "광주": 410.0}  # 만원/m²
    region = rng.choice(regions, size=n, p=[0.34, 0.2, 0.16, 0.18, 0.12])
    area = np.clip(rng.normal(84, 22, n), 33, 165).round(1)
    rooms = np.clip(np.round(area / 28 + rng.normal(0, 0.5, n)), 1, 5).astype(int)
    year = rng.integers(1985, 2024, n)
    distance = np.round(rng.gamma(2.0, 0.45, n), 2)
    floor = np.clip(rng.geometric(0.09, n), 1, 45)
    parking = rng.random(n) < np.clip(0.35 + (year - 1985) / 50, 0, 0.97)

    age = 2024 - year
    price = (np.vectorize(rate.get)(region) * area ** 0.95 * 1.25
             * (1 - 0.012 * age + 0.00018 * age ** 2)        # old buildings: redevelopment hopes
             * (1 + 0.3 * np.exp(-distance / 0.6))           # close to a station
             * (1 + 0.04 * np.log1p(floor))
             * np.where(parking, 1.06, 1.0)
             * rng.lognormal(0, 0.08, n))
    df = pd.DataFrame({
        "지역": region,
        "면적": area,
        "방 개수": rooms,
        "건축 연도": pd.array(year, dtype="Int64"),
        "역까지 거리": distance,
        "층": floor,
        "주차 가능": np.where(parking, "예", "아니오"),
        "가격": (np.round(price / 10) * 10).astype(int),
    })
    df.loc[rng.random(n) < 0.04, "역까지 거리"] = np.nan
    df.loc[rng.random(n) < 0.03, "건축 연도"] = pd.NA
    return df


def korean_churn(n: int = 600) -> pd.DataFrame:
    """Whether a mobile phone customer leaves (이탈: 예/아니오)."""
    rng = np.random.default_rng(SEED + 1)
    age = rng.integers(19, 75, n)
    gender = rng.choice(["남", "여"], size=n)
    months = np.clip(rng.exponential(28, n).astype(int) + 1, 1, 120)
    plan = rng.choice(["기본", "표준", "프리미엄"], size=n, p=[0.45, 0.4, 0.15])
    fee = (np.array([33000, 55000, 89000])[pd.Categorical(plan, ["기본", "표준", "프리미엄"])
                                           .codes] + rng.integers(-5, 6, n) * 1000)
    calls = rng.poisson(1.2, n)
    contract = rng.random(n) < 0.55
    data_gb = np.round(rng.gamma(2.2, 6.0, n), 1)
    logit = (-0.6 - 0.035 * months + 0.55 * calls - 1.1 * contract + 0.000012 * (fee - 55000)
             - 0.012 * (age - 45) + 0.02 * (data_gb - 13) + rng.normal(0, 0.4, n))
    churn = rng.random(n) < 1 / (1 + np.exp(-logit))
    df = pd.DataFrame({
        "나이": age,
        "성별": gender,
        "가입 기간": months,
        "요금제": plan,
        "월 요금": fee,
        "데이터 사용량": data_gb,
        "고객센터 문의": calls,
        "약정": np.where(contract, "예", "아니오"),
        "이탈": np.where(churn, "예", "아니오"),
    })
    df.loc[rng.random(n) < 0.05, "데이터 사용량"] = np.nan
    return df


SAMPLES = [
    {"name": "iris", "make": iris, "title": "Iris flowers", "task": "multiclass",
     "target": "species",
     "description": "Sepal and petal sizes (cm) of 150 iris flowers; predict the species. "
                    "The classic first classification data set."},
    {"name": "wine", "make": wine, "title": "Wine cultivars", "task": "multiclass",
     "target": "cultivar",
     "description": "Chemical analysis of 178 Italian wines from three cultivars; predict the "
                    "cultivar. Features have very different scales, so scaling matters."},
    {"name": "breast_cancer", "make": breast_cancer, "title": "Breast cancer diagnosis",
     "task": "binary", "target": "diagnosis",
     "description": "30 measurements of cell nuclei from 569 breast masses; predict whether a "
                    "mass is malignant or benign."},
    {"name": "diabetes", "make": diabetes, "title": "Diabetes progression", "task": "regression",
     "target": "progression",
     "description": "Age, sex, body mass index, blood pressure and six blood serum measurements "
                    "of 442 patients; predict disease progression one year later."},
    {"name": "korean_housing", "make": korean_housing, "title": "Korean apartment prices",
     "task": "regression", "target": "가격",
     "description": "Synthetic apartment sales with Korean column names: region, area (m²), "
                    "rooms, year built, distance to a station (km), floor and parking; predict "
                    "the price (10,000 won). Some values are missing."},
    {"name": "korean_churn", "make": korean_churn, "title": "Korean mobile customer churn",
     "task": "binary", "target": "이탈",
     "description": "Synthetic mobile phone customers with Korean column names: age, gender, "
                    "months subscribed, plan, monthly fee (won), data use (GB), calls to "
                    "support and contract; predict whether the customer leaves (예/아니오)."},
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    index = []
    for spec in SAMPLES:
        df = spec["make"]()
        assert df.columns[-1] == spec["target"], spec["name"]
        korean = spec["name"].startswith("korean")
        # Korean samples as Excel writes them (UTF-8 with a byte order mark)
        df.to_csv(OUT / f"{spec['name']}.csv", index=False, lineterminator="\n",
                  encoding="utf-8-sig" if korean else "utf-8")
        index.append({"name": spec["name"], "title": spec["title"], "task": spec["task"],
                      "target": spec["target"], "rows": len(df),
                      "columns": int(df.shape[1]), "description": spec["description"]})
        print(f"{spec['name']:16s} {len(df):5d} rows x {df.shape[1]:2d} columns  "
              f"{spec['task']:10s} target={spec['target']}")
    (OUT / "samples.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")


if __name__ == "__main__":
    main()
