// The fixed category vocabulary of docs/design.md "Categories", with the words the UI shows.
// Policy keys and finding categories are checked against this list, so a typo in managed
// policy is reported on the options page instead of silently doing nothing.

export const CATEGORY_LABELS = Object.freeze({
  name: 'Name',
  geo: 'Address or location',
  date: 'Date tied to a person',
  age: 'Age over 89',
  phone: 'Phone number',
  fax: 'Fax number',
  email: 'Email address',
  ssn: 'Social Security number',
  mrn: 'Medical record number',
  health_plan: 'Health plan number',
  account: 'Account number',
  license: 'Licence number',
  vehicle: 'Vehicle identifier',
  device: 'Device identifier',
  url: 'Web address',
  ip: 'IP address',
  biometric: 'Biometric identifier',
  photo: 'Photo',
  other_id: 'Other identifier',
  patient_detail: 'Patient detail',
  health: 'Health information',
  medical_advice: 'Medical advice',
  patient_interaction: 'Patient interaction',
  review_response: 'Review response',
  confidential: 'Confidential information',
  credential: 'Credential',
});

export const CATEGORIES = Object.freeze(Object.keys(CATEGORY_LABELS));

export function isCategory(value) {
  return Object.hasOwn(CATEGORY_LABELS, value);
}

export function categoryLabel(category) {
  return CATEGORY_LABELS[category] ?? category;
}
