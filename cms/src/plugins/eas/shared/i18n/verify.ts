import type { RecordStatus } from '../contracts/record';
import { LANGUAGES, isLanguage, negotiateLanguage, parseAcceptLanguage, type Language } from './languages';

/**
 * The public verify page's words, per language (the languages of ./languages.ts, which the capture site speaks
 * too). Every language has every key: the type says so, and a unit test checks it again at run time.
 * Which are written right to left: textDirection (./languages.ts).
 */
export const VERIFY_LANGUAGES = LANGUAGES;
export type VerifyLanguage = Language;

export interface VerifyMessages {
  title: string;
  intro: string;
  reference: string;
  hash: string;
  check: string;
  checked: string;
  submitted: string;
  status: string;
  statuses: Record<RecordStatus, string>;
  match: { heading: string; body: string };
  altered: { heading: string; body: string; parts: string; todo: string };
  unknown: { heading: string; body: string; todo: string };
  earlier: string;
  redacted: { heading: string; body: string };
  notFound: { heading: string; body: string };
  askHash: string;
  parts: Record<'data' | 'status' | 'owner' | 'form' | 'integrity-hash' | 'history' | 'photo' | 'signature', string>;
  privacy: string;
  /** Checking an uploaded PDF: its seal, then its record. */
  pdf: {
    heading: string;
    label: string;
    button: string;
    hint: string;
    notPdf: string;
    sealedBy: string;
    sealedAt: string;
    seal: Record<'valid' | 'foreign' | 'invalid' | 'missing', { heading: string; body: string }>;
  };
}

const en: VerifyMessages = {
  title: 'Check an EAS document',
  intro: 'This page checks whether a document printed by EAS matches the record EAS holds. It shows no personal data.',
  reference: 'Reference',
  hash: 'Integrity hash printed on the document',
  check: 'Check',
  checked: 'Checked',
  submitted: 'Submitted',
  status: 'Status',
  statuses: { draft: 'Draft', submitted: 'Submitted, awaiting review', approved: 'Approved', rejected: 'Rejected' },
  match: {
    heading: 'The document matches the record',
    body: 'The integrity hash on the document is the record’s, and the record, its photos, signatures and history are unchanged since EAS recorded them.',
  },
  altered: {
    heading: 'Warning: the record has been altered',
    body: 'The record no longer matches what EAS recorded when it was captured. The document cannot be confirmed.',
    parts: 'What no longer matches',
    todo: 'Do not rely on this document. Contact the organisation that issued it and quote the reference; its administrators have been alerted by EAS’s own integrity checks.',
  },
  unknown: {
    heading: 'The document does not match this record',
    body: 'The integrity hash on the document is not the hash of this record.',
    todo: 'Check that you typed the reference and the hash exactly as printed. If they are right, the document may have been changed: contact the organisation that issued it.',
  },
  earlier:
    'This hash belongs to an earlier version of the record, submitted on {date}. The record was corrected and submitted again after that document was printed.',
  redacted: {
    heading: 'The record was redacted',
    body: 'The hash on the document was this record’s. Personal data was removed from the record on {date} at a data-protection request, so its content can no longer be compared.',
  },
  notFound: { heading: 'No such record', body: 'EAS holds no record with this reference. Check that you typed it exactly as printed.' },
  askHash: 'Enter the integrity hash printed on the document (64 characters) to check it.',
  parts: {
    data: 'the recorded information',
    status: 'the status or review',
    owner: 'who captured it',
    form: 'the form it was captured with',
    'integrity-hash': 'the stored integrity hash',
    history: 'its history',
    photo: 'photo',
    signature: 'signature',
  },
  privacy: 'EAS shows here only whether the document matches; it never shows the record’s content.',
  pdf: {
    heading: 'Check a PDF file',
    label: 'Evidence PDF from EAS',
    button: 'Check the PDF',
    hint: 'The file is checked on this server and not kept.',
    notPdf: 'This file is not a PDF.',
    sealedBy: 'Sealed by',
    sealedAt: 'Sealed and timestamped',
    seal: {
      valid: {
        heading: 'The PDF carries this EAS’s seal, intact',
        body: 'No byte of the file has changed since EAS sealed it. Below: whether the record it describes is still as printed.',
      },
      foreign: {
        heading: 'The PDF is sealed, but not by this EAS',
        body: 'Its seal was made with another certificate, even if the name looks the same. Nothing it says can be confirmed here.',
      },
      invalid: {
        heading: 'Warning: the PDF was changed after it was sealed',
        body: 'The seal no longer matches the file’s content: someone or something changed the file. Do not rely on it; ask the organisation for the original.',
      },
      missing: {
        heading: 'The PDF has no seal',
        body: 'EAS seals every evidence PDF it prints. This file was not sealed by EAS, or its seal was removed.',
      },
    },
  },
};

const fr: VerifyMessages = {
  title: 'Vérifier un document EAS',
  intro:
    'Cette page vérifie si un document imprimé par EAS correspond à l’enregistrement que détient EAS. Elle n’affiche aucune donnée personnelle.',
  reference: 'Référence',
  hash: 'Empreinte d’intégrité imprimée sur le document',
  check: 'Vérifier',
  checked: 'Vérifié le',
  submitted: 'Envoyé le',
  status: 'Statut',
  statuses: { draft: 'Brouillon', submitted: 'Envoyé, en attente de revue', approved: 'Approuvé', rejected: 'Refusé' },
  match: {
    heading: 'Le document correspond à l’enregistrement',
    body: 'L’empreinte du document est celle de l’enregistrement, et l’enregistrement, ses photos, ses signatures et son historique n’ont pas changé depuis qu’EAS les a consignés.',
  },
  altered: {
    heading: 'Attention : l’enregistrement a été modifié',
    body: 'L’enregistrement ne correspond plus à ce qu’EAS a consigné lors de la saisie. Le document ne peut pas être confirmé.',
    parts: 'Ce qui ne correspond plus',
    todo: 'Ne vous fiez pas à ce document. Contactez l’organisation qui l’a émis en citant la référence ; ses administrateurs ont été alertés par les contrôles d’intégrité d’EAS.',
  },
  unknown: {
    heading: 'Le document ne correspond pas à cet enregistrement',
    body: 'L’empreinte imprimée sur le document n’est pas celle de cet enregistrement.',
    todo: 'Vérifiez la référence et l’empreinte telles qu’imprimées. Si elles sont exactes, le document a peut-être été modifié : contactez l’organisation qui l’a émis.',
  },
  earlier:
    'Cette empreinte est celle d’une version antérieure de l’enregistrement, envoyée le {date}. L’enregistrement a été corrigé et renvoyé après l’impression de ce document.',
  redacted: {
    heading: 'L’enregistrement a été caviardé',
    body: 'L’empreinte du document était celle de cet enregistrement. Des données personnelles en ont été retirées le {date} à la suite d’une demande de protection des données ; son contenu ne peut plus être comparé.',
  },
  notFound: {
    heading: 'Enregistrement introuvable',
    body: 'EAS ne détient aucun enregistrement avec cette référence. Vérifiez qu’elle est saisie exactement comme imprimée.',
  },
  askHash: 'Saisissez l’empreinte d’intégrité imprimée sur le document (64 caractères) pour la vérifier.',
  parts: {
    data: 'les informations saisies',
    status: 'le statut ou la revue',
    owner: 'l’auteur de la saisie',
    form: 'le formulaire utilisé',
    'integrity-hash': 'l’empreinte enregistrée',
    history: 'l’historique',
    photo: 'photo',
    signature: 'signature',
  },
  privacy: 'EAS indique seulement ici si le document correspond ; il n’affiche jamais le contenu de l’enregistrement.',
  pdf: {
    heading: 'Vérifier un fichier PDF',
    label: 'PDF de preuve issu d’EAS',
    button: 'Vérifier le PDF',
    hint: 'Le fichier est vérifié sur ce serveur et n’est pas conservé.',
    notPdf: 'Ce fichier n’est pas un PDF.',
    sealedBy: 'Scellé par',
    sealedAt: 'Scellé et horodaté',
    seal: {
      valid: {
        heading: 'Le PDF porte le sceau de cet EAS, intact',
        body: 'Aucun octet du fichier n’a changé depuis qu’EAS l’a scellé. Ci-dessous : si l’enregistrement qu’il décrit est toujours tel qu’imprimé.',
      },
      foreign: {
        heading: 'Le PDF est scellé, mais pas par cet EAS',
        body: 'Son sceau a été fait avec un autre certificat, même si le nom semble identique. Rien de ce qu’il affirme ne peut être confirmé ici.',
      },
      invalid: {
        heading: 'Attention : le PDF a été modifié après avoir été scellé',
        body: 'Le sceau ne correspond plus au contenu du fichier : le fichier a été modifié. Ne vous y fiez pas ; demandez l’original à l’organisation.',
      },
      missing: {
        heading: 'Le PDF n’a pas de sceau',
        body: 'EAS scelle chaque PDF de preuve qu’il imprime. Ce fichier n’a pas été scellé par EAS, ou son sceau a été retiré.',
      },
    },
  },
};

const es: VerifyMessages = {
  title: 'Comprobar un documento de EAS',
  intro: 'Esta página comprueba si un documento impreso por EAS coincide con el registro que guarda EAS. No muestra datos personales.',
  reference: 'Referencia',
  hash: 'Huella de integridad impresa en el documento',
  check: 'Comprobar',
  checked: 'Comprobado',
  submitted: 'Enviado',
  status: 'Estado',
  statuses: { draft: 'Borrador', submitted: 'Enviado, pendiente de revisión', approved: 'Aprobado', rejected: 'Rechazado' },
  match: {
    heading: 'El documento coincide con el registro',
    body: 'La huella del documento es la del registro, y el registro, sus fotos, firmas e historial no han cambiado desde que EAS los registró.',
  },
  altered: {
    heading: 'Atención: el registro ha sido alterado',
    body: 'El registro ya no coincide con lo que EAS registró al capturarlo. El documento no puede confirmarse.',
    parts: 'Lo que ya no coincide',
    todo: 'No confíe en este documento. Póngase en contacto con la organización que lo emitió indicando la referencia; sus administradores han sido alertados por los controles de integridad de EAS.',
  },
  unknown: {
    heading: 'El documento no coincide con este registro',
    body: 'La huella impresa en el documento no es la de este registro.',
    todo: 'Compruebe que la referencia y la huella están escritas exactamente como están impresas. Si lo están, puede que el documento haya sido modificado: contacte con la organización que lo emitió.',
  },
  earlier:
    'Esta huella pertenece a una versión anterior del registro, enviada el {date}. El registro se corrigió y se envió de nuevo después de imprimir ese documento.',
  redacted: {
    heading: 'El registro fue anonimizado',
    body: 'La huella del documento era la de este registro. El {date} se eliminaron datos personales del registro por una solicitud de protección de datos, por lo que su contenido ya no puede compararse.',
  },
  notFound: {
    heading: 'No existe ese registro',
    body: 'EAS no guarda ningún registro con esta referencia. Compruebe que está escrita exactamente como está impresa.',
  },
  askHash: 'Introduzca la huella de integridad impresa en el documento (64 caracteres) para comprobarla.',
  parts: {
    data: 'la información registrada',
    status: 'el estado o la revisión',
    owner: 'quién lo capturó',
    form: 'el formulario usado',
    'integrity-hash': 'la huella almacenada',
    history: 'su historial',
    photo: 'foto',
    signature: 'firma',
  },
  privacy: 'Aquí EAS solo indica si el documento coincide; nunca muestra el contenido del registro.',
  pdf: {
    heading: 'Comprobar un archivo PDF',
    label: 'PDF de evidencia de EAS',
    button: 'Comprobar el PDF',
    hint: 'El archivo se comprueba en este servidor y no se guarda.',
    notPdf: 'Este archivo no es un PDF.',
    sealedBy: 'Sellado por',
    sealedAt: 'Sellado y con sello de tiempo',
    seal: {
      valid: {
        heading: 'El PDF lleva el sello de este EAS, intacto',
        body: 'Ningún byte del archivo ha cambiado desde que EAS lo selló. Abajo: si el registro que describe sigue como se imprimió.',
      },
      foreign: {
        heading: 'El PDF está sellado, pero no por este EAS',
        body: 'Su sello se hizo con otro certificado, aunque el nombre parezca el mismo. Nada de lo que dice puede confirmarse aquí.',
      },
      invalid: {
        heading: 'Atención: el PDF se modificó después de sellarse',
        body: 'El sello ya no coincide con el contenido del archivo: el archivo fue modificado. No confíe en él; pida el original a la organización.',
      },
      missing: {
        heading: 'El PDF no tiene sello',
        body: 'EAS sella cada PDF de evidencia que imprime. Este archivo no fue sellado por EAS, o se le quitó el sello.',
      },
    },
  },
};

const pt: VerifyMessages = {
  title: 'Verificar um documento EAS',
  intro: 'Esta página verifica se um documento impresso pelo EAS corresponde ao registo que o EAS guarda. Não mostra dados pessoais.',
  reference: 'Referência',
  hash: 'Impressão de integridade impressa no documento',
  check: 'Verificar',
  checked: 'Verificado',
  submitted: 'Enviado',
  status: 'Estado',
  statuses: { draft: 'Rascunho', submitted: 'Enviado, a aguardar revisão', approved: 'Aprovado', rejected: 'Rejeitado' },
  match: {
    heading: 'O documento corresponde ao registo',
    body: 'A impressão do documento é a do registo, e o registo, as suas fotografias, assinaturas e histórico não mudaram desde que o EAS os registou.',
  },
  altered: {
    heading: 'Atenção: o registo foi alterado',
    body: 'O registo já não corresponde ao que o EAS registou na recolha. O documento não pode ser confirmado.',
    parts: 'O que já não corresponde',
    todo: 'Não confie neste documento. Contacte a organização que o emitiu indicando a referência; os seus administradores foram alertados pelas verificações de integridade do EAS.',
  },
  unknown: {
    heading: 'O documento não corresponde a este registo',
    body: 'A impressão de integridade no documento não é a deste registo.',
    todo: 'Confirme que a referência e a impressão estão escritas exatamente como impressas. Se estiverem, o documento pode ter sido alterado: contacte a organização que o emitiu.',
  },
  earlier:
    'Esta impressão pertence a uma versão anterior do registo, enviada em {date}. O registo foi corrigido e enviado de novo depois de esse documento ter sido impresso.',
  redacted: {
    heading: 'O registo foi anonimizado',
    body: 'A impressão do documento era a deste registo. Em {date} foram removidos dados pessoais do registo a pedido de proteção de dados, pelo que o seu conteúdo já não pode ser comparado.',
  },
  notFound: {
    heading: 'Registo inexistente',
    body: 'O EAS não guarda nenhum registo com esta referência. Confirme que está escrita exatamente como impressa.',
  },
  askHash: 'Introduza a impressão de integridade impressa no documento (64 caracteres) para a verificar.',
  parts: {
    data: 'a informação registada',
    status: 'o estado ou a revisão',
    owner: 'quem o recolheu',
    form: 'o formulário usado',
    'integrity-hash': 'a impressão guardada',
    history: 'o histórico',
    photo: 'fotografia',
    signature: 'assinatura',
  },
  privacy: 'Aqui o EAS indica apenas se o documento corresponde; nunca mostra o conteúdo do registo.',
  pdf: {
    heading: 'Verificar um ficheiro PDF',
    label: 'PDF de evidência do EAS',
    button: 'Verificar o PDF',
    hint: 'O ficheiro é verificado neste servidor e não é guardado.',
    notPdf: 'Este ficheiro não é um PDF.',
    sealedBy: 'Selado por',
    sealedAt: 'Selado e com carimbo temporal',
    seal: {
      valid: {
        heading: 'O PDF tem o selo deste EAS, intacto',
        body: 'Nenhum byte do ficheiro mudou desde que o EAS o selou. Abaixo: se o registo que descreve continua como foi impresso.',
      },
      foreign: {
        heading: 'O PDF está selado, mas não por este EAS',
        body: 'O selo foi feito com outro certificado, mesmo que o nome pareça igual. Nada do que diz pode ser confirmado aqui.',
      },
      invalid: {
        heading: 'Atenção: o PDF foi alterado depois de selado',
        body: 'O selo já não corresponde ao conteúdo do ficheiro: o ficheiro foi alterado. Não confie nele; peça o original à organização.',
      },
      missing: {
        heading: 'O PDF não tem selo',
        body: 'O EAS sela cada PDF de evidência que imprime. Este ficheiro não foi selado pelo EAS, ou o selo foi removido.',
      },
    },
  },
};

const ar: VerifyMessages = {
  title: 'التحقق من مستند EAS',
  intro: 'تتحقق هذه الصفحة مما إذا كان مستند طبعه EAS يطابق السجل الذي يحفظه EAS. لا تعرض أي بيانات شخصية.',
  reference: 'المرجع',
  hash: 'بصمة السلامة المطبوعة على المستند',
  check: 'تحقّق',
  checked: 'وقت التحقق',
  submitted: 'تاريخ الإرسال',
  status: 'الحالة',
  statuses: { draft: 'مسودة', submitted: 'مُرسَل، بانتظار المراجعة', approved: 'مقبول', rejected: 'مرفوض' },
  match: {
    heading: 'المستند يطابق السجل',
    body: 'بصمة المستند هي بصمة السجل، ولم يتغير السجل ولا صوره ولا تواقيعه ولا سجل أحداثه منذ أن دوّنها EAS.',
  },
  altered: {
    heading: 'تحذير: تم تعديل السجل',
    body: 'لم يعد السجل يطابق ما دوّنه EAS عند جمعه. لا يمكن تأكيد المستند.',
    parts: 'ما لم يعد مطابقًا',
    todo: 'لا تعتمد على هذا المستند. تواصل مع الجهة التي أصدرته واذكر المرجع؛ وقد نبّهت فحوص السلامة في EAS مسؤوليها.',
  },
  unknown: {
    heading: 'المستند لا يطابق هذا السجل',
    body: 'البصمة المطبوعة على المستند ليست بصمة هذا السجل.',
    todo: 'تأكد من كتابة المرجع والبصمة كما طُبعا تمامًا. إن كانا صحيحين فربما عُدّل المستند: تواصل مع الجهة التي أصدرته.',
  },
  earlier: 'هذه البصمة تعود إلى نسخة سابقة من السجل أُرسلت في {date}. صُحّح السجل وأُرسل مجددًا بعد طباعة ذلك المستند.',
  redacted: {
    heading: 'تم حجب بيانات من السجل',
    body: 'كانت بصمة المستند بصمة هذا السجل. أُزيلت بيانات شخصية من السجل في {date} بناءً على طلب لحماية البيانات، لذا لم يعد بالإمكان مقارنة محتواه.',
  },
  notFound: { heading: 'لا يوجد سجل بهذا المرجع', body: 'لا يحفظ EAS أي سجل بهذا المرجع. تأكد من كتابته كما طُبع تمامًا.' },
  askHash: 'أدخل بصمة السلامة المطبوعة على المستند (64 حرفًا) للتحقق منها.',
  parts: {
    data: 'المعلومات المسجلة',
    status: 'الحالة أو المراجعة',
    owner: 'من قام بالجمع',
    form: 'النموذج المستخدم',
    'integrity-hash': 'البصمة المحفوظة',
    history: 'سجل الأحداث',
    photo: 'صورة',
    signature: 'توقيع',
  },
  privacy: 'يبيّن EAS هنا فقط ما إذا كان المستند مطابقًا؛ ولا يعرض أبدًا محتوى السجل.',
  pdf: {
    heading: 'التحقق من ملف PDF',
    label: 'ملف PDF للدليل من EAS',
    button: 'تحقّق من الملف',
    hint: 'يُفحص الملف على هذا الخادم ولا يُحتفظ به.',
    notPdf: 'هذا الملف ليس PDF.',
    sealedBy: 'مختوم من',
    sealedAt: 'مختوم ومؤرّخ',
    seal: {
      valid: {
        heading: 'يحمل الملف ختم EAS هذا، سليمًا',
        body: 'لم يتغيّر أي بايت من الملف منذ أن ختمه EAS. في الأسفل: هل ما زال السجل الذي يصفه كما طُبع.',
      },
      foreign: {
        heading: 'الملف مختوم، ولكن ليس من EAS هذا',
        body: 'صُنع ختمه بشهادة أخرى، حتى لو بدا الاسم نفسه. لا يمكن تأكيد أي شيء يقوله هنا.',
      },
      invalid: {
        heading: 'تحذير: عُدّل الملف بعد ختمه',
        body: 'لم يعد الختم مطابقًا لمحتوى الملف: لقد عُدّل الملف. لا تعتمد عليه؛ اطلب الأصل من الجهة.',
      },
      missing: { heading: 'الملف بلا ختم', body: 'يختم EAS كل ملف PDF للأدلة يطبعه. لم يختم EAS هذا الملف، أو أُزيل ختمه.' },
    },
  },
};

export const VERIFY_MESSAGES: Record<VerifyLanguage, VerifyMessages> = { en, fr, es, pt, ar };

/** The best language for an Accept-Language header (or an explicit ?lang=), English otherwise. */
export const pickLanguage = (explicit: unknown, acceptLanguage: string | undefined): VerifyLanguage =>
  isLanguage(explicit) ? explicit : negotiateLanguage(parseAcceptLanguage(acceptLanguage));
