// The host sends each reported rule's title, message, advice, category, kind and severity
// once per reply (`"rule_details":"once"`, docs/protocol.md), not in every finding: a long
// post dense with PHI repeated them hundreds of times. Merged back here, where the reply
// reaches the content script (finding-decor.js, which keeps the findings of the last reply
// that are the same), so everything after sees whole findings.

// `result` with each finding completed from `result.rule_details` (and that map dropped);
// a result without it (an older host) is returned as it is.
export function withRuleDetails(result) {
  if (!result || typeof result !== 'object') return result;
  const { rule_details: details, ...rest } = result;
  if (!details || typeof details !== 'object' || !Array.isArray(rest.findings)) return result;
  return {
    ...rest,
    findings: rest.findings.map((finding) => ({ ...(details[finding.rule] ?? {}), ...finding })),
  };
}
