use pyo3::prelude::*;

/// Sum a list of integers in Rust.
#[pyfunction]
fn sum_list(values: Vec<i64>) -> PyResult<i64> {
    Ok(values.iter().sum())
}

#[pymodule]
fn fastsum(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sum_list, m)?)?;
    Ok(())
}
