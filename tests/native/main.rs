//! Native integration tests of the core, one module per area.

mod model_alloc;
mod model_data;
mod model_train;
mod model_variants;
