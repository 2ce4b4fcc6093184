"""Samples of the uncertain parameters for the analyses, as the model draws them: each parameter
triangular on [low, high] with its mode at the central value, and the parameters of a correlated
group (baseline.yaml `correlated`) moved by one shared uniform. Global sensitivity needs independent
inputs, so a group is one factor; every other uncertain parameter is a factor of its own.

A sample is a matrix of uniforms, one column per factor, mapped to parameter values through each
parameter's inverse distribution function (`Factors.parameters`): the Monte Carlo sample (a Latin
hypercube) and the Saltelli sample (SALib) use the same mapping, and reweighting works on it."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc

from model.data import ModelData
from model.engine import _triangular_quantile


@dataclass(frozen=True)
class Factors:
    """The independent uncertain inputs: `ids[k]` is a parameter id or a correlated group's id, and
    `members[k]` its parameters with the direction each moves with the factor's uniform (+1, −1).
    Parameters in `fixed` are held at their value and are no factor."""

    ids: tuple[str, ...]
    members: tuple[dict[str, int], ...]
    fixed: dict[str, float]

    @classmethod
    def of(cls, data: ModelData, fixed: dict[str, float] | None = None) -> "Factors":
        fixed = dict(fixed or {})
        groups = {g.id: {pid: sign for pid, sign in g.parameters.items() if pid not in fixed}
                  for g in data.baseline.uncertainty.correlated}
        grouped = {pid for members in groups.values() for pid in members}
        ids, members = [], []
        for pid, p in data.parameters.items():
            if pid in fixed or pid in grouped or p.low == p.high:
                continue
            ids.append(pid)
            members.append({pid: 1})
        for group_id, group in groups.items():
            if group:
                ids.append(group_id)
                members.append(group)
        return cls(tuple(ids), tuple(members), fixed)

    def __len__(self) -> int:
        return len(self.ids)

    def representative(self, k: int) -> str:
        """The parameter that stands for factor k in sentences: itself, or a group's first member."""
        return next(iter(self.members[k]))

    def parameters(self, data: ModelData, unit: np.ndarray) -> dict[str, np.ndarray]:
        """Parameter values (every parameter id → (n,)) for uniforms `unit` (n, factors): fixed and
        certain parameters at their value, each factor's members through their triangular quantile."""
        n = len(unit)
        out = {pid: np.full(n, float(self.fixed.get(pid, p.central))) for pid, p in data.parameters.items()}
        for k, members in enumerate(self.members):
            for pid, sign in members.items():
                p = data.parameters[pid]
                u = unit[:, k] if sign > 0 else 1.0 - unit[:, k]
                out[pid] = _triangular_quantile(u, p.low, p.central, p.high)
        return out


def latin_hypercube(factors: Factors, draws: int, seed: int) -> np.ndarray:
    """(draws, factors) uniforms: a Latin hypercube (each factor's range cut into `draws` equal
    slices, one draw in each), which estimates shares at least as precisely as plain Monte Carlo."""
    return qmc.LatinHypercube(d=len(factors), seed=np.random.default_rng(seed)).random(draws)


def salib_problem(factors: Factors) -> dict:
    return {"num_vars": len(factors), "names": list(factors.ids), "bounds": [[0.0, 1.0]] * len(factors)}


def saltelli(factors: Factors, base: int, seed: int) -> np.ndarray:
    """SALib's Saltelli sample (scrambled Sobol' sequence) of the factors' uniforms, first- and
    total-order only: base × (factors + 2) rows. `base` must be a power of two."""
    from SALib.sample import sobol
    if base < 2 or base & (base - 1):
        raise ValueError(f"sobol_base: {base} is not a power of two (512, 1024, ...)")
    return sobol.sample(salib_problem(factors), base, calc_second_order=False, scramble=True, seed=seed)
