// The fixed category vocabulary of docs/design.md "Categories", each with the message key
// (extension/_locales) of the words the UI shows. Policy keys and finding categories are
// checked against this list, so a typo in managed policy is reported on the options page
// instead of silently doing nothing.

import { t } from './i18n.js';

export const CATEGORY_LABELS = Object.freeze({
  name: 'category_name',
  geo: 'category_geo',
  date: 'category_date',
  age: 'category_age',
  phone: 'category_phone',
  fax: 'category_fax',
  email: 'category_email',
  ssn: 'category_ssn',
  mrn: 'category_mrn',
  health_plan: 'category_health_plan',
  account: 'category_account',
  license: 'category_license',
  vehicle: 'category_vehicle',
  device: 'category_device',
  url: 'category_url',
  ip: 'category_ip',
  biometric: 'category_biometric',
  photo: 'category_photo',
  other_id: 'category_other_id',
  patient_detail: 'category_patient_detail',
  health: 'category_health',
  medical_advice: 'category_medical_advice',
  patient_interaction: 'category_patient_interaction',
  review_response: 'category_review_response',
  confidential: 'category_confidential',
  credential: 'category_credential',
});

export const CATEGORIES = Object.freeze(Object.keys(CATEGORY_LABELS));

export function isCategory(value) {
  return Object.hasOwn(CATEGORY_LABELS, value);
}

export function categoryLabel(category) {
  return isCategory(category) ? t(CATEGORY_LABELS[category]) : category;
}
