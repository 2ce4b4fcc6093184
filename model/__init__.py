"""The platform interconnection model: pure Python, no user interface.

`engine.run`, `engine.attribution`, `engine.monte_carlo` and `engine.tornado` take a
`scenario.Scenario` and return DataFrames; `data.default_data()` is everything in data/.
"""
MODEL_VERSION = "1.0.0"
