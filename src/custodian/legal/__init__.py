"""The legal data request desk (issue #4; SpectrumVoIP Data Request Guidelines)."""
