//! Native integration tests of the platform-independent core, one module per area.

mod stats_props;
mod stats_reference;
