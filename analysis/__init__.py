"""Analyses that need many model runs, above `model/` and `store/`: the evaluator (chunks of lever rows
× parameter draws on dask.distributed, cached in the scenario database), the findings' shares, Sobol
indices, PRIM boxes and break-evens, and sensitivity of any outcome."""
