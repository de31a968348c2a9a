//! The JSON log format (`logger.encoding: json` in `.wippy.yaml`): one JSON object per line with
//! `ts` (Unix seconds), `level`, `msg` and the event's fields. A `fields` field holding a JSON
//! object (the Lua `logger`'s user fields) is spread into the line; the runtime's own fields win
//! over user fields of the same name.

use std::fmt;

use serde_json::{Map, Value as Json};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

pub struct JsonFormat;

#[derive(Default)]
struct Collect {
    own: Map<String, Json>,
    user: Map<String, Json>,
}

impl Collect {
    fn put(&mut self, field: &Field, v: Json) {
        let name = match field.name() {
            "message" => "msg",
            n => n,
        };
        self.own.insert(name.to_string(), v);
    }
}

impl Visit for Collect {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "fields" {
            if let Ok(Json::Object(m)) = serde_json::from_str(&text) {
                self.user = m;
                return;
            }
        }
        self.put(field, Json::String(text));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Json::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Json::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Json::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, Json::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Json::from(value));
    }
}

impl<S, N> FormatEvent<S, N> for JsonFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, _: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        let mut c = Collect::default();
        event.record(&mut c);
        let mut line = c.user;
        let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64());
        line.insert("ts".into(), Json::from(ts.unwrap_or(0.0)));
        line.insert("level".into(), Json::from(event.metadata().level().as_str().to_ascii_lowercase()));
        line.extend(c.own);
        writeln!(writer, "{}", Json::Object(line))
    }
}
