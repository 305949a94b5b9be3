//! Decoding the seed's chat-detail JSON into the generated typed model and into a
//! `serde_json::Value`, side by side: the typed decode should not be the slower one.
//!
//! Run with `cargo bench -p wegly-sdk-tests --bench decode`.

use criterion::{Criterion, criterion_group, criterion_main};

const CHAT: &[u8] = include_bytes!("../tests/data/chat_detail.json");

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("chat_detail");
    group.bench_function("typed", |b| {
        b.iter(|| serde_json::from_slice::<wegly::models::ChatDetail>(std::hint::black_box(CHAT)))
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(std::hint::black_box(CHAT)))
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
