//! The parser on realistic inputs: kubectl dumps, JSON, multi-document
//! files with a broken document, CRLF, every workload kind, defaults, and the
//! spans the explanation highlights.

use std::net::IpAddr;

use netpol_core::labels::{Operator, RequirementOrigin};
use netpol_core::model::{EndpointKind, PeerKind, PortRef, Protocol, NAMESPACE_NAME_LABEL};
use netpol_core::parse::{parse_sources, parse_str, Severity, Source};

/// What `kubectl get pods,ns,netpol -A -o yaml` prints (trimmed from a kind
/// cluster, noise kept: managedFields, status, annotations, ownerReferences).
const KUBECTL_DUMP: &str = r#"apiVersion: v1
items:
- apiVersion: v1
  kind: Pod
  metadata:
    annotations:
      kubectl.kubernetes.io/restartedAt: "2024-01-01T00:00:00Z"
    creationTimestamp: "2024-05-02T10:00:00Z"
    generateName: web-6d4cf56db6-
    labels:
      app: web
      pod-template-hash: 6d4cf56db6
    managedFields:
    - apiVersion: v1
      fieldsType: FieldsV1
      fieldsV1:
        f:metadata:
          f:generateName: {}
          f:labels:
            .: {}
            f:app: {}
      manager: kube-controller-manager
      operation: Update
      time: "2024-05-02T10:00:00Z"
    name: web-6d4cf56db6-abcde
    namespace: shop
    ownerReferences:
    - apiVersion: apps/v1
      blockOwnerDeletion: true
      controller: true
      kind: ReplicaSet
      name: web-6d4cf56db6
      uid: 0b0c3f7e-0000-0000-0000-000000000000
    resourceVersion: "1234"
    uid: 1b0c3f7e-0000-0000-0000-000000000000
  spec:
    containers:
    - image: nginx:1.25
      imagePullPolicy: IfNotPresent
      name: nginx
      ports:
      - containerPort: 8080
        name: http
        protocol: TCP
      - containerPort: 9090
        name: metrics
      resources: {}
      terminationMessagePath: /dev/termination-log
    dnsPolicy: ClusterFirst
    nodeName: kind-worker
    tolerations:
    - effect: NoExecute
      key: node.kubernetes.io/not-ready
      operator: Exists
      tolerationSeconds: 300
  status:
    conditions:
    - lastProbeTime: null
      status: "True"
      type: Ready
    hostIP: 172.18.0.2
    phase: Running
    podIP: 10.244.1.5
    podIPs:
    - ip: 10.244.1.5
    - ip: fd00:10:244:1::5
    qosClass: BestEffort
- apiVersion: v1
  kind: Pod
  metadata:
    labels:
      component: kube-proxy
    name: kube-proxy-xyz
    namespace: kube-system
  spec:
    containers:
    - name: kube-proxy
    hostNetwork: true
  status:
    podIP: 172.18.0.2
- apiVersion: v1
  kind: Namespace
  metadata:
    labels:
      kubernetes.io/metadata.name: shop
      team: blue
    name: shop
  spec:
    finalizers:
    - kubernetes
  status:
    phase: Active
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy"}
    generation: 1
    name: web-ingress
    namespace: shop
  spec:
    ingress:
    - from:
      - namespaceSelector:
          matchLabels:
            team: blue
      ports:
      - port: http
        protocol: TCP
    podSelector:
      matchLabels:
        app: web
    policyTypes:
    - Ingress
  status: {}
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: kube-root-ca.crt
    namespace: shop
  data:
    ca.crt: |
      -----BEGIN CERTIFICATE-----
kind: List
metadata:
  resourceVersion: ""
"#;

#[test]
fn kubectl_list_dump_with_noise() {
    let out = parse_str(KUBECTL_DUMP);
    let errors: Vec<_> = out.errors().map(|d| d.render("dump")).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let s = &out.scenario;
    assert_eq!(s.endpoints.len(), 2);
    let web = &s.endpoints[0];
    assert_eq!(
        (web.namespace.as_str(), web.name.as_str(), web.kind),
        ("shop", "web-6d4cf56db6-abcde", EndpointKind::Pod)
    );
    assert_eq!(web.labels.get("app").map(String::as_str), Some("web"));
    let ips: Vec<IpAddr> = vec!["10.244.1.5".parse().unwrap(), "fd00:10:244:1::5".parse().unwrap()];
    assert_eq!(web.ips, ips);
    assert_eq!(web.resolve_named_port("http", Protocol::Tcp), Some(8080));
    assert_eq!(web.resolve_named_port("metrics", Protocol::Tcp), Some(9090));
    assert!(s.endpoints[1].host_network);
    let shop = s.namespace("shop").expect("shop");
    assert_eq!(shop.labels.get("team").map(String::as_str), Some("blue"));
    assert!(shop.span.is_some());
    // kube-system is implied by the kube-proxy pod.
    let ks = s.namespace("kube-system").expect("implied kube-system");
    assert!(ks.span.is_none());
    assert_eq!(ks.labels.get(NAMESPACE_NAME_LABEL).map(String::as_str), Some("kube-system"));
    assert_eq!(s.policies.len(), 1);
    let p = &s.policies[0];
    assert_eq!(p.ingress[0].ports[0].port, Some(PortRef::Name("http".into())));
    assert!(p.policy_types.explicit && p.policy_types.ingress && !p.policy_types.egress);
    // One DocumentInfo per List item, all in document 0; the ConfigMap is a
    // notice and not accepted.
    assert_eq!(out.documents.len(), 5);
    assert!(out.documents.iter().all(|d| d.index == 0));
    assert_eq!(out.documents.iter().filter(|d| d.accepted).count(), 4);
    assert_eq!(out.diagnostics.iter().filter(|d| d.severity == Severity::Notice).count(), 1);
    // The policy's span is its List item.
    let text_at = |line: u32| KUBECTL_DUMP.lines().nth(line as usize - 1).unwrap_or("");
    assert_eq!(text_at(p.span.start.line).trim(), "- apiVersion: networking.k8s.io/v1");
    assert_eq!(p.span.start.col, 3);
}

#[test]
fn one_bad_list_item_does_not_drop_the_others() {
    let y = "kind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata: {name: b, labels: {x: [1]}}\n- kind: Pod\n  metadata: {name: c}\n";
    let out = parse_str(y);
    let names: Vec<_> = out.scenario.endpoints.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["a", "c"]);
    let e: Vec<_> = out.errors().collect();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].object.as_deref(), Some("Pod default/b"));
    assert_eq!((e[0].span.start.line, e[0].path.as_str()), (6, "metadata.labels.x"));
}

#[test]
fn typed_lists_supply_the_item_kind() {
    let y = "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a, namespace: x}\n";
    let out = parse_str(y);
    assert_eq!(out.scenario.endpoints.len(), 1);
    assert_eq!(out.documents[0].kind, "Pod");
}

#[test]
fn json_input() {
    let json = r#"{
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "db", "namespace": "data", "labels": {"app": "db"}},
     "spec": {"containers": [{"name": "pg", "ports": [{"containerPort": 5432, "name": "pg"}]}]},
     "status": {"podIP": "10.0.0.7"}},
    {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
     "metadata": {"name": "db", "namespace": "data"},
     "spec": {"podSelector": {"matchLabels": {"app": "db"}},
              "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": 5432, "endPort": 5440, "protocol": "TCP"}]}],
              "egress": [],
              "policyTypes": []}}
  ]
}"#;
    let out = parse_str(json);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let p = &out.scenario.policies[0];
    assert_eq!(p.ingress[0].ports[0].port, Some(PortRef::Number(5432)));
    assert_eq!(p.ingress[0].ports[0].end_port, Some(5440));
    // `egress: []` does not add Egress: upstream defaults on len(Egress) != 0
    // (pkg/apis/networking/v1/defaults.go, SetDefaults_NetworkPolicy).
    assert!(!p.policy_types.explicit && p.policy_types.ingress && !p.policy_types.egress);
    assert_eq!(p.ingress[0].span.start.line, 12);
    assert_eq!(out.scenario.endpoints[0].ips, vec!["10.0.0.7".parse::<IpAddr>().unwrap()]);
}

#[test]
fn multi_document_with_a_broken_document_in_the_middle() {
    let y = "\
kind: Namespace
metadata: {name: a}
---
kind: Pod
metadata:
  name: broken
   labels: {}
---
# a comment before the object
kind: Pod
metadata: {name: fine, namespace: a}
...
---
kind: Service
metadata: {name: svc, namespace: a}
spec:
  selector: {app: x}
  ports: [{port: 80, targetPort: http}, {name: dns, port: 53, protocol: UDP}]
";
    let out = parse_str(y);
    let errors: Vec<_> = out.errors().collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].doc, Some(1));
    assert_eq!(errors[0].span.start.line, 7, "{}", errors[0].render("f"));
    assert_eq!(out.scenario.endpoints.len(), 1);
    assert_eq!(out.scenario.endpoints[0].name, "fine");
    assert_eq!(out.scenario.endpoints[0].span.start.line, 10);
    let svc = &out.scenario.services[0];
    assert_eq!(svc.ports[0].target_port, PortRef::Name("http".into()));
    assert_eq!(svc.ports[1].target_port, PortRef::Number(53));
    assert_eq!(svc.ports[1].protocol, Protocol::Udp);
    assert_eq!(svc.span.doc, 3);
    assert_eq!(out.documents.iter().map(|d| d.accepted).collect::<Vec<_>>(), [true, false, true, true]);
}

#[test]
fn crlf_bom_and_tabs() {
    let y = "\u{feff}kind: Pod\r\nmetadata:\r\n  name: p # comment\t\r\n  labels: {app: \"a\tb\"}\r\n---\r\nkind: Pod\r\nmetadata: {name: q, labels: {app: q}}\r\n";
    let out = parse_str(y);
    let errors: Vec<_> = out.errors().map(|d| d.render("f")).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    // The tab inside a quoted label value is invalid, and reported on line 4.
    assert!(errors[0].starts_with("f:4:17: metadata.labels.app"), "{}", errors[0]);
    let q = &out.scenario.endpoints[0];
    assert_eq!((q.name.as_str(), q.span.start.line, q.span.start.col), ("q", 6, 1));
    assert_eq!(q.span.start.offset as usize, y.find("kind: Pod\r\nmetadata: {name: q").unwrap());
}

#[test]
fn workloads_of_every_kind() {
    let template = "    metadata:\n      labels: {app: KIND}\n    spec:\n      hostNetwork: false\n      containers:\n      - ports: [{containerPort: 80, name: web}]\n";
    let mut y = String::new();
    for kind in ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"] {
        y.push_str(&format!("---\nkind: {kind}\nmetadata: {{name: w-{kind}, namespace: apps}}\nspec:\n  template:\n"));
        y.push_str(&template.replace("KIND", kind));
    }
    y.push_str("---\nkind: CronJob\nmetadata: {name: w-CronJob, namespace: apps}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n");
    y.push_str(&template.replace("KIND", "CronJob").lines().map(|l| format!("    {l}\n")).collect::<String>());
    let out = parse_str(&y);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let kinds = [
        EndpointKind::Deployment,
        EndpointKind::ReplicaSet,
        EndpointKind::StatefulSet,
        EndpointKind::DaemonSet,
        EndpointKind::Job,
        EndpointKind::ReplicationController,
        EndpointKind::CronJob,
    ];
    assert_eq!(out.scenario.endpoints.len(), kinds.len());
    for (e, k) in out.scenario.endpoints.iter().zip(kinds) {
        assert_eq!(e.kind, k);
        assert_eq!(e.name, format!("w-{}", k.as_str()));
        assert_eq!(e.labels.get("app").map(String::as_str), Some(k.as_str()));
        assert_eq!(e.resolve_named_port("web", Protocol::Tcp), Some(80));
        assert!(e.ips.is_empty());
    }
    let missing = parse_str("kind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n");
    let e: Vec<_> = missing.errors().collect();
    assert_eq!(e.len(), 1);
    assert!(e[0].message.contains("`spec.template` is required"), "{}", e[0].message);
}

#[test]
fn defaults() {
    let y = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: d}
spec:
  podSelector: {}
  egress:
  - ports: [{port: 53}, {protocol: UDP}]
---
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: e}
spec:
  podSelector:
  ingress:
  - {}
";
    let out = parse_str(y);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let d = &out.scenario.policies[0];
    assert_eq!(d.namespace, "default");
    // Ingress always, Egress because there is an egress rule; not explicit.
    assert_eq!((d.policy_types.ingress, d.policy_types.egress, d.policy_types.explicit), (true, true, false));
    let ports = &d.egress[0].ports;
    assert_eq!((ports[0].protocol, ports[0].port.clone()), (Protocol::Tcp, Some(PortRef::Number(53))));
    assert_eq!((ports[1].protocol, ports[1].port.clone()), (Protocol::Udp, None));
    assert!(d.egress[0].peers.is_empty());
    let e = &out.scenario.policies[1];
    assert!(e.pod_selector.is_empty());
    assert_eq!((e.policy_types.ingress, e.policy_types.egress), (true, false));
    assert!(e.ingress[0].peers.is_empty() && e.ingress[0].ports.is_empty());
    assert_eq!(out.scenario.namespace("default").map(|n| n.span), Some(None));
}

#[test]
fn spans_of_rules_peers_ports_and_selectors() {
    let y = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: blue
      podSelector:
        matchExpressions:
        - key: role
          operator: In
          values: [client]
    - ipBlock:
        cidr: 192.168.0.0/16
        except:
        - 192.168.1.0/24
    ports:
    - protocol: TCP
      port: 8080
  - ports:
    - port: 9090
";
    let out = parse_str(y);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let p = &out.scenario.policies[0];
    assert_eq!(p.span.lines(), (1, 28));
    assert_eq!(p.pod_selector.span.lines(), (8, 9));
    assert_eq!(p.pod_selector.requirements[0].span.lines(), (9, 9));
    assert_eq!(p.pod_selector.requirements[0].span.start.col, 7);
    let r0 = &p.ingress[0];
    assert_eq!(r0.span.lines(), (11, 26));
    assert_eq!(r0.peers[0].span.lines(), (12, 19));
    assert_eq!(r0.peers[1].span.lines(), (20, 23));
    assert_eq!(r0.ports[0].span.lines(), (25, 26));
    assert_eq!(p.ingress[1].span.lines(), (27, 28));
    let PeerKind::Selectors { namespace_selector: Some(ns), pod_selector: Some(pod) } = &r0.peers[0].kind else {
        panic!("selectors expected")
    };
    assert_eq!(ns.span.lines(), (13, 14));
    assert_eq!(pod.span.lines(), (16, 19));
    let req = &pod.requirements[0];
    assert_eq!((req.op, req.origin, req.span.lines()), (Operator::In, RequirementOrigin::MatchExpression(0), (17, 19)));
    let PeerKind::IpBlock(b) = &r0.peers[1].kind else { panic!("ipBlock expected") };
    assert_eq!((b.cidr_span.start.line, b.cidr_span.start.col), (21, 15));
    assert_eq!(b.except_spans[0].lines(), (23, 23));
    assert_eq!(&y[b.except_spans[0].start.offset as usize..b.except_spans[0].end.offset as usize], "192.168.1.0/24");
}

#[test]
fn several_sources_keep_their_index_and_see_each_others_duplicates() {
    let a = Source { name: "a.yaml", text: "kind: Namespace\nmetadata: {name: x}\n" };
    let b = Source { name: "b.yaml", text: "\n\nkind: Namespace\nmetadata: {name: x}\n" };
    let out = parse_sources(&[a, b]);
    assert_eq!(out.scenario.namespaces.len(), 1);
    assert_eq!(out.scenario.namespaces[0].span.map(|s| s.source), Some(0));
    let e: Vec<_> = out.errors().collect();
    assert_eq!((e.len(), e[0].source), (1, 1));
    assert_eq!(e[0].render("b.yaml"), "b.yaml:3:1: metadata.name: duplicate Namespace x: it is already defined at a.yaml:1; the first definition is used");
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let y = "\
kind: List
items:
- kind: Pod
  metadata: {name: a, labels: &l {app: web, tier: front}}
- kind: Pod
  metadata:
    name: b
    labels:
      <<: *l
      tier: back
";
    let out = parse_str(y);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let b = &out.scenario.endpoints[1];
    assert_eq!(b.labels.get("app").map(String::as_str), Some("web"));
    assert_eq!(b.labels.get("tier").map(String::as_str), Some("back"));
}
