/**
 * The capture site's words in English — the reference catalogue: its keys are the MessageKey type every other
 * language must fill (site/src/i18n/types.ts). Flat dotted keys, grouped by component. `{name}` is replaced by a
 * parameter; a key family ending in `.one` / `.other` is a plural (tn), and each language gives the forms its
 * plural rules need. Rules and how to add a language: docs/languages.md.
 */
export const en = {
  'app.title': 'EAS — field capture',
  'app.description': 'EAS field capture: forms, photos and signatures, online or offline.',
  'app.tagline': 'field capture',
  'app.signOut': 'Sign out',
  'app.required': '(required)',

  'language.label': 'Language',

  'capture.title': 'Capture — EAS',

  'signIn.title': 'Sign in',
  'signIn.intro': 'Use the account your organisation gave you.',
  'signIn.identifier': 'Email or username',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.missing': 'Enter your email or username and your password.',
  'signIn.wrong': 'Wrong email/username or password.',
  'signIn.failed': 'Sign-in failed. Please try again.',

  'syncStatus.nothingWaiting': 'Nothing waiting to sync.',
  'syncStatus.waiting.one': '{count} record saved on this phone — it will be sent automatically.',
  'syncStatus.waiting.other': '{count} records saved on this phone — they will be sent automatically.',
  'syncStatus.attention.one': '{count} needs your attention.',
  'syncStatus.attention.other': '{count} need your attention.',
  'syncStatus.offline': 'No internet — records are kept on this phone.',
  'syncStatus.sendNow': 'Send now',

  'formList.title': 'Forms',
  'formList.loading': 'Loading forms…',
  'formList.available.one': '{count} form available',
  'formList.available.other': '{count} forms available',
  'formList.saved': 'The server cannot be reached: these are the copies saved on this phone.',
  'formList.noneSaved': 'No forms are saved on this phone yet. Connect to the internet once to load them.',
  'formList.serverDown': 'The server is not answering right now (it may be restarting). The forms appear as soon as it does; nothing to do on this phone.',
  'formList.nonePublished': 'No forms are published yet. Ask an administrator to publish one.',
  'formList.version': 'Version {version}',
  'formList.fields.one': '{count} field',
  'formList.fields.other': '{count} fields',
  'formList.failed': 'Could not load the forms.',

  'photoSlot.cameraDenied':
    'Camera permission was denied, so the live camera cannot be used. Take or choose the photo below instead (you can allow the camera again in the browser settings).',
  'photoSlot.cameraMissing': 'No camera was found on this device. Choose a photo below instead.',
  'photoSlot.cameraBusy': 'The camera is busy (another app may be using it). Close the other app, or take or choose the photo below.',
  'photoSlot.cameraUnsupported': 'This browser cannot show a live camera here. Take or choose the photo below instead.',
  'photoSlot.cameraFailed': 'The camera could not be started. Take or choose the photo below instead.',
  'photoSlot.preview': 'Camera preview',
  'photoSlot.open': 'Open camera',
  'photoSlot.shoot': 'Capture photo',
  'photoSlot.cancel': 'Cancel',
  'photoSlot.retake': 'Retake',
  'photoSlot.captured': '{label}: captured photo',
  'photoSlot.file': 'Take or choose a photo: {label}',
  'photoSlot.ready': 'Photo ready ({width}×{height}).',
  'photoSlot.starting': 'Starting the camera…',
  'photoSlot.cameraOn': 'Camera on. Frame the {label} and press “Capture photo”.',
  'photoSlot.notReady': 'The camera is not ready yet. Try again in a moment.',
  'photoSlot.shootFailed': 'The photo could not be taken. Try again.',
  'photoSlot.preparing': 'Preparing the photo…',
  'photoSlot.prepareFailed': 'The photo could not be prepared.',

  'signatureSlot.title': 'Signature of the {role}',
  'signatureSlot.signer': 'Name of the signer',
  'signatureSlot.pad':
    'Sign inside the box with a finger or a stylus, once everything above is filled in and the photos are taken: the signature confirms what the record shows at that moment.',
  'signatureSlot.undo': 'Undo',
  'signatureSlot.clear': 'Clear',
  'signatureSlot.required': 'The signature of the {role} is required.',
  'signatureSlot.notSigned': 'The {role} has not signed yet.',
  'signatureSlot.signerMissing': 'Enter the name of the signer.',

  // Server errors by kind (site/src/lib/api-error.ts), in the words a person can act on.
  'apiError.offline': 'No internet right now. Your work is kept on this phone.',
  'apiError.timeout': 'The server took too long to answer. Your work is kept on this phone and will be sent again.',
  'apiError.unauthorised': 'Your session has ended. Please sign in again.',
  'apiError.forbidden': 'Your account is not allowed to do this.',
  'apiError.not-found': 'Not found.',
  'apiError.conflict': 'The server refused the change because the record changed in the meantime.',
  'apiError.too-large': 'The file is too large for the server.',
  'apiError.unsupported': 'The server does not accept this type of file. Choose a JPEG photo.',
  'apiError.invalid': 'The server refused the request.',
  'apiError.rate-limited': 'Too many attempts. Please wait a minute and try again.',
  'apiError.busy': 'The server is busy. Your work is kept on this phone and will be sent again shortly.',
  'apiError.server': 'The server had a problem. Please try again later.',
} as const;

export type MessageKey = keyof typeof en;
