//! `process.service`: a `process.lua` run on a `process.host` with fixed `input`, supervised
//! according to its `lifecycle`.

use crate::registry::entry::{EntryKind, ServiceConfig};

use super::fields::Fields;
use super::kinds::{with_common, Context};
use super::lifecycle;
use super::resolve::RefKind;
use super::yaml::{Node, NodeKind};

const FIELDS: &[&str] = &["process", "host", "input", "lifecycle"];
const OWNER: &str = "a process.service entry";

pub(crate) fn convert(cx: &mut Context, f: &Fields) -> Option<EntryKind> {
    f.reject_unknown(&mut cx.r, &with_common(FIELDS), OWNER);
    let process = f
        .required_string(&mut cx.r, "process", OWNER, "add `process: <entry>`, the process.lua entry this service runs")
        .map(|(p, pos)| cx.reference(RefKind::ServiceProcess, "process".into(), p, pos));
    let host = f
        .required_string(&mut cx.r, "host", OWNER, "add `host: <entry>`, the process.host the service runs on")
        .map(|(h, pos)| cx.reference(RefKind::ServiceHost, "host".into(), h, pos));
    let input = match f.node("input").map(|n| (n, &n.kind)) {
        None => Vec::new(),
        Some((_, NodeKind::Seq(items))) => items.iter().map(Node::to_value).collect(),
        Some((node, _)) => {
            let help = "write the arguments as a list, e.g. `input: [\"--port\", 8080]`; use `input: [x]` for a single argument";
            f.report_wrong_type(&mut cx.r, "input", node, "a list of arguments", help);
            Vec::new()
        }
    };
    let lifecycle = lifecycle::read(cx, f);
    Some(EntryKind::Service(ServiceConfig { process: process?, host: host?, input, lifecycle }))
}
