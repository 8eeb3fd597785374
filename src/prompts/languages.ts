import { Registry } from '../util/registry.js';

/**
 * The languages zeroshift has ImageNet prompts in, keyed by CLIP_benchmark's codes (its
 * `--language`), each the id of the shipped prompt set with the 1000 class names and the
 * templates in that language: English is CLIP's own set; the others are CLIP_benchmark's
 * `<code>_classnames.json` and `<code>_zeroshot_classification_templates.json` (imagenet1k).
 */
const IMAGENET_LANGUAGES = new Registry<string>('language', 'USAGE')
  .register('en', 'imagenet')
  .register('ar', 'imagenet-ar')
  .register('cn', 'imagenet-cn')
  .register('it', 'imagenet-it')
  .register('jp', 'imagenet-jp');

/** The language codes `--language` takes, sorted. */
export function languageIds(): string[] {
  return IMAGENET_LANGUAGES.ids().sort();
}

/** The shipped ImageNet prompt set of `language`; an unknown code throws a USAGE error listing the known ones. */
export function imagenetLanguageSet(language: string): string {
  return IMAGENET_LANGUAGES.get(language);
}
