// Where a guide reference ("Section A, step 4", as pages and findings write them) points
// in Bright Pattern's online guide, for the links that open it in the browser. A
// reference this module does not know stays plain text (guideUrl answers null).
//
// Sources, help.brightpattern.com 5.8, Microsoft Dynamics 365 Integration Guide:
// - …/Configuration/EnableScenariosAccessDynamics365, "Configuration Section A: Enable
//   Scenarios and Access to Dynamics 365", headings "Step 1: Add a new registered app"
//   and "Step 2: In Bright Pattern, create a Dynamics 365 integration account".
// - …/Configuration/AddIntegrationAccount, "Reference: How to Add an Integration
//   Account", headings "Step 1: Add new account", "Step 2: Edit properties", "Step 3: Save!".
// - …/Configuration/?action=html-localimages-export, the whole Configuration chapter on
//   one page: Overview, Section A, "Configuration Section B: Enable Agent Desktop
//   Integration", the Reference, "Optional: Configuring Screen Pop for Preview Campaigns".
// Section A's headings for steps 3 to 8 are those of the guide's 5.8 PDF export (our seed,
// shared/seed/000_e4db2aef28cf9840.txt, its table of contents), the same page's text.
// MediaWiki anchors a heading by its text with spaces as underscores. Section B and
// screen pop, whose own pages were not among those read, open in the chapter, at their
// step's heading (from the same table of contents, numbered "3." and "2a." there), at
// Troubleshooting, or else at the section's own heading.

const CONFIGURATION = "https://help.brightpattern.com/5.8:Microsoft-dynamics-365-integration-guide/Configuration";
const SECTION_A = `${CONFIGURATION}/EnableScenariosAccessDynamics365`;
const REFERENCE = `${CONFIGURATION}/AddIntegrationAccount`;
const CHAPTER = `${CONFIGURATION}/?action=html-localimages-export`;

/** Each page's step headings, by step number. */
const SECTION_A_STEPS: Record<string, string> = {
  "1": "Step 1: Add a new registered app",
  "2": "Step 2: In Bright Pattern, create a Dynamics 365 integration account",
  "3": "Step 3: Get the Application (client) ID",
  "4": "Step 4: Get the client secret",
  "5": "Step 5: Get the Authorization URL and OAuth 2.0 token",
  "6": "Step 6: Add users to the app",
  "7": "Step 7: Add API access",
  "8": "Step 8: Complete integration account properties setup",
};
const REFERENCE_STEPS: Record<string, string> = {
  "1": "Step 1: Add new account",
  "2": "Step 2: Edit properties",
  "3": "Step 3: Save!",
};
/** In the chapter: Section B's steps, then screen pop's, each under its section's heading. */
const SECTION_B = "Configuration Section B: Enable Agent Desktop Integration";
const SECTION_B_STEPS: Record<string, string> = {
  "1": "1. Install Channel Integration Framework app",
  "2": "2. Install Bright Pattern Omnichannel Contact Center Solution app",
  "3": "3. Configure Channel Integration Framework app",
  "4": "4. Configure Click-to-Call functionality (optional)",
  "5": "5. Add Bright Pattern activity history fields to forms (optional)",
};
const SCREEN_POP = "Configuring Screen Pop for Preview Campaigns";
const SCREEN_POP_STEPS: Record<string, string> = {
  "1": "1. Create a list with a column for Dynamics object IDs",
  "2": "2. Configure an outbound Preview campaign",
  "2a": "2a. Configure the Screenpop URL",
  "3": "3. Start the campaign",
  troubleshooting: "Troubleshooting",
};

/**
 * `page`, at the heading of the reference's first step ("step 2a", else its "step 2"), or
 * of its Troubleshooting, where the page's headings are known; else at `section`, the
 * heading of the section the reference names, if the page has one.
 */
function at(page: string, headings: Record<string, string>, reference: string, section?: string): string {
  const [, number, letter = ""] = /\bsteps? (\d+)([a-z])?\b/i.exec(reference) ?? [];
  const step = number === undefined ? undefined : (headings[`${number}${letter.toLowerCase()}`] ?? headings[number]);
  const heading = step ?? (/\btroubleshooting\b/i.test(reference) ? headings.troubleshooting : undefined) ?? section;
  return heading ? `${page}#${heading.replaceAll(" ", "_")}` : page;
}

/** Where Bright Pattern's redirect URI is registered, with the guide step that says so (a hint below it). */
export const REGISTER_REDIRECT_URI = "For the Entra ID app registration, platform Web (Section A, step 1.4)";

/** The guide's address for a reference, or null when the reference names no part of it. */
export function guideUrl(reference: string): string | null {
  const text = reference.trim();
  if (/^(configuration )?section a\b/i.test(text)) return at(SECTION_A, SECTION_A_STEPS, text);
  if (/^reference\b/i.test(text)) return at(REFERENCE, REFERENCE_STEPS, text);
  if (/^(configuration )?section b\b/i.test(text)) return at(CHAPTER, SECTION_B_STEPS, text, SECTION_B);
  if (/^configuring screen pop\b/i.test(text)) return at(CHAPTER, SCREEN_POP_STEPS, text, SCREEN_POP);
  if (/^the configuration guide\b/i.test(text)) return CHAPTER;
  return null;
}

/** The guide reference of a Doctor step ("A4", "B3", "SP"); an id it does not know, as it is. */
export function doctorStepReference(id: string): string {
  if (id === "SP") return "Configuring Screen Pop for Preview Campaigns";
  const step = /^([AB])(\d+)$/.exec(id);
  return step ? `Section ${step[1]}, step ${step[2]}` : id;
}
