// The field manager every object the installer applies is owned by.
export const FIELD_MANAGER = 'sdm-installer';
