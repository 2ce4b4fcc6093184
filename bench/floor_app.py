"""The benchmark's floor: a minimal Streamlit page with a slider, a number and two Plotly charts."""
import numpy as np
import plotly.graph_objects as go
import streamlit as st

value = st.slider("Level", 0, 100, 0, key="level")
st.metric("Value", f"{value * 37:,}")
x = np.arange(2021, 2031)
st.plotly_chart(go.Figure(go.Scatter(x=x, y=x * value)), key="line")
st.plotly_chart(go.Figure(go.Bar(x=list("ABCDEF"), y=np.arange(6) * value)), key="bar")
