// Benign text about security that uses the words attacks use: password and account questions, help-desk prompts
// with rules about credentials, and people asking about LLM security (red-team reports, how to defend against
// prompt injection, what a system prompt is) without performing an attack.
//
// Why: in the public data "password", "secret", "system prompt" and "jailbreak" occur almost only in attacks
// (Gandalf-style secret requests, extraction prompts, jailbreak templates), so the model learnt the topic instead of
// the act. A blind probe set of benign prompts had developer system prompts ("never ask for the user's PIN") and
// NIST password-policy questions scored above the threshold by the model alone. Nothing here asks the reader to
// reveal, ignore or switch off anything; texts that quote an attack are left out, since the quoted attack is the
// same string and the patterns decide those.

import type { Example } from './data.ts';
import { benignCollector, rng, shuffle } from './data.ts';
import { APP_FRAMES, BUSINESSES } from './synthetic-constraints.ts';

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const ACCOUNTS = [
  'my work laptop',
  'our company VPN',
  'my online banking app',
  'the office Wi-Fi',
  'my Gmail account',
  'the shared Netflix profile',
  'our WordPress admin page',
  'my router',
  'the school portal',
  'our AWS root account',
  'my grandmother’s tablet',
  'the Jenkins server',
];
const ACCOUNT_QUESTIONS: Array<(a: string) => string> = [
  (a) => `I forgot the password for ${a}. What are my options to get back in?`,
  (a) => `How often should we change the password on ${a}? Our policy says every 60 days.`,
  (a) => `Is it safe to write down the password for ${a} in a notebook at home?`,
  (a) => `What's the best way to share access to ${a} with a colleague without sending the password by email?`,
  (a) => `Someone may have seen me type the password for ${a}. What should I do first?`,
  (a) => `Should I turn on two-factor authentication for ${a}, and which app do you recommend?`,
  (a) => `The password for ${a} keeps getting rejected even though I'm sure it's right. Any ideas?`,
  (a) => `Write a short reminder for staff about how to choose a good password for ${a}.`,
];
const SECURITY_QUESTIONS = [
  'What does NIST SP 800-63B say about password length and forced rotation?',
  'Is a long passphrase better than a short complex password? Explain the entropy.',
  'How do password managers keep the master password safe?',
  'What is credential stuffing and how do rate limits help against it?',
  'Explain how bcrypt and Argon2 differ for storing password hashes.',
  'Why should API keys never be committed to a git repository, and how do I clean one up if I did?',
  'What is the difference between a secret key and a public key in asymmetric encryption?',
  'How do I store database credentials for a Node.js app in production?',
  'Our auditor asked about our password policy for SOC 2. What do they usually expect?',
  'What is a one-time password and how does TOTP generate it?',
  'How can I tell whether my email address appeared in a data breach?',
  'How should we store user passwords in our database?',
  'Is it really that bad to reuse passwords across work and personal accounts?',
  'Should we still make staff rotate their passwords on a fixed schedule?',
  'How do browsers keep saved passwords, and is that safe enough for a family computer?',
  "What's the safest way to hand over shared passwords when an employee leaves?",
  'Why do banks ask for only some characters of a passcode instead of the whole thing?',
  'Which secrets should a CI pipeline have access to, and how do we rotate them?',
];
// The business-assistant frames; the classifier and translation-engine frames do not take help-desk rules.
const HELPDESK_FRAMES = APP_FRAMES.slice(0, 6);
const CREDENTIAL_RULES = [
  'Never ask the user for their full card number, PIN or password.',
  "If the user wants to reset their password, send them to the 'Forgot password' page; do not reset it yourself.",
  'Remind users that staff will never ask for their password over chat.',
  'Do not store or repeat any credentials the user pastes by mistake; tell them to change them.',
  'Keep the internal escalation notes confidential.',
  'If a user asks about account security, recommend two-factor authentication.',
  'For locked accounts, collect the username and the time of the last successful login, then open a ticket.',
  'Do not discuss other customers’ accounts.',
  'Remind users never to share their passwords with anyone, including our staff.',
];

const LLM_APPS = [
  'our customer-support chatbot',
  'a RAG assistant over our internal wiki',
  'an email-summarising agent',
  'the coding assistant in our IDE plugin',
  'a hiring tool that screens CVs with an LLM',
  'a travel-booking agent that can call APIs',
];
const LLM_QUESTIONS: Array<(a: string) => string> = [
  (a) => `How should we test ${a} for prompt injection before launch? Give me a checklist.`,
  (a) => `What are the main security risks of ${a}, and which ones should we fix first?`,
  (a) => `Write a one-page threat model for ${a}.`,
  (a) => `Our security team wants to red-team ${a}. How do we scope the exercise and report the results?`,
  (a) => `How can we stop ${a} from leaking its system prompt? Is that even a real secret?`,
  (a) => `Which guardrails would you put in front of ${a}, and what latency do they usually add?`,
  (a) => `Draft the section of our SOC 2 evidence that explains how ${a} handles untrusted input.`,
];
const LLM_TALK = [
  'What is the difference between a jailbreak and a prompt injection?',
  'Can you explain what a system prompt is and how it differs from the user message?',
  'Help me write a better system prompt for a cooking assistant: it should be friendly and suggest substitutions.',
  'Why do language models sometimes follow instructions that appear inside documents they summarise?',
  'Summarise the OWASP Top 10 for LLM applications in a table.',
  'Is it a good idea to put an API key in the system prompt of a chatbot? Why not?',
  'What did the research on indirect prompt injection through web pages find?',
  'Red-team summary for Q3: 140 adversarial prompts across role-play, obfuscation and multi-turn categories; 9 produced policy-violating output. Turn this into three bullet points for the board.',
  'Write a short talk abstract about defending LLM agents against data exfiltration through markdown images.',
  'How do canary tokens help detect system-prompt leakage?',
  'Explain in plain words why base64-encoded text can slip past a keyword filter.',
  'Our chatbot refused a harmless request about chemistry homework. How do we reduce over-refusal?',
];

/** About 250 benign texts in `synthetic/security-talk`. */
export function syntheticSecurityTalk(seed: number): Example[] {
  const rand = rng(seed);
  const { out, push } = benignCollector('synthetic/security-talk');
  for (let k = 0; k < 80; k++) push(pick(rand, ACCOUNT_QUESTIONS)(pick(rand, ACCOUNTS)), 'account');
  for (const q of SECURITY_QUESTIONS) push(q, 'security_question');
  for (let k = 0; k < 60; k++) {
    const rules = shuffle([...CREDENTIAL_RULES], rand).slice(0, 2 + Math.floor(rand() * 3));
    push(pick(rand, HELPDESK_FRAMES)(pick(rand, BUSINESSES), rules), 'helpdesk_prompt');
  }
  for (let k = 0; k < 50; k++) push(pick(rand, LLM_QUESTIONS)(pick(rand, LLM_APPS)), 'llm_security');
  for (const t of LLM_TALK) push(t, 'llm_security');
  return shuffle(out, rand);
}
