"""The benchmark's floor: the least a Streamlit page like Explore can cost — wide layout, three
sliders in the sidebar, one metric and two Plotly charts side by side."""
import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
with st.sidebar:
    level = st.slider("Level", 0, 100, 0, key="level")
    second = st.slider("Second", 0, 100, 30, key="second")
    third = st.slider("Third", 0, 100, 60, key="third")
st.metric("Value", f"{level * 37 + second + third:,}")
years = np.arange(2021, 2031)
left, right = st.columns(2)
with left:
    st.plotly_chart(go.Figure(go.Scatter(x=years, y=years * level)), key="line")
with right:
    st.plotly_chart(go.Figure(go.Bar(x=list("ABCDEF"), y=np.arange(6) * level + second)), key="bar")
