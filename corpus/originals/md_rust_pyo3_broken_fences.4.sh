pip install maturin
maturin develop --release
