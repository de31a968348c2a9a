//! Tests of the typed-Lua front end through `compile`, named after its guarantees.

mod corpus;
mod errors;
mod positions;
