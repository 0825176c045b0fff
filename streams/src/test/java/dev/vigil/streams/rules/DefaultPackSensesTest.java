package dev.vigil.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default pack on single sentences beside the topic's name: a signal word in its everyday
 * sense (a court that revokes a measure, rescue teams deployed after an earthquake, a federal court
 * ruling on migrants) is not an escalation, and the situation's own wording, in Spanish as in
 * English, is. Each case is a sentence written for this test in the style of wire copy, to pin a
 * sense; rule quality is measured on real news in {@link NewsDevEvaluationTest}.
 */
class DefaultPackSensesTest {

    private static final Matcher PACK = new Matcher(RulesLoader.loadDefault());

    private static boolean hit(String language, String text) {
        return PACK.evaluate("", text, language).hits("venezuela");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        a court revokes a measure | es | El Tribunal Supremo de Justicia de Venezuela revocó la medida cautelar y ordenó la detención del alcalde.
        oil concessions and their risk | es | El gobierno de Venezuela otorgó nuevas concesiones petroleras con alto riesgo, dijo PDVSA.
        rescue teams after an earthquake | es | Un sismo de magnitud 6,2 sacudió el Zulia, en Venezuela, según el Servicio Geológico de Estados Unidos. Protección Civil desplegó equipos de rescate.
        the armed forces sent to quake victims | es | El gobierno venezolano anunció el despliegue de 3.000 efectivos de la Fuerza Armada para atender a los damnificados del terremoto.
        a destructive earthquake | es | El sismo destructor que sacudió el Zulia, en Venezuela, fue registrado por el Servicio Geológico de Estados Unidos.
        the opposition calls a government illegitimate | es | La oposición venezolana calificó de ilegítimo al gobierno de Nicolás Maduro y exigió la liberación de los presos políticos.
        a government denies holding prisoners | es | Foro Penal confirmó la excarcelación de 20 presos políticos en Venezuela. El Gobierno no reconoce que existan presos políticos.
        a federal court on an oil auction | en | A federal court in Delaware approved the sale of Citgo's parent company, ending a years-long fight by creditors of Venezuela.
        a federal court on migrants' status | en | The Supreme Court let the administration end protections for 300,000 Venezuelans, overruling a federal court in San Francisco.
        a minister before parliament | es | El fiscal general compareció ante la Asamblea Nacional de Venezuela para presentar su informe de gestión.
        an earthquake's serious damage | en | The earthquake caused serious damage in the Venezuelan state of Zulia, officials said.
        a league's decision because of the strikes | en | Major League Baseball will not let its players join the Caribbean Series in Venezuela because of security concerns after the U.S. military strikes.
        a football federation sanctioned | es | La FIFA sancionó a la Federación Venezolana de Fútbol con una multa por el comportamiento de sus aficionados.
        a league's decision after the strikes | en | The Caribbean Series will be moved out of Venezuela after the U.S. military strikes, the confederation announced on Tuesday.
        a league's decision and the deployment | es | La Confederación de Béisbol del Caribe trasladó la Serie del Caribe de Venezuela a Guadalajara ante el despliegue militar de Estados Unidos.
        export figures and the blockade | es | Las exportaciones petroleras de Venezuela cayeron 40% en diciembre por el bloqueo naval estadounidense, que mantuvo lejos a los tanqueros.
        export figures in English | en | Venezuela's oil exports tumbled to a two-year low in December as the U.S. blockade kept tankers away from its ports, shipping data showed.
        output figures even as the deployment | en | Venezuela's crude output rose to 950,000 barrels per day in October, OPEC said, even as the U.S. naval deployment weighed on shipments.
        a league's season after the operation | es | La LVBP suspendió indefinidamente la temporada tras la operación militar de Estados Unidos que terminó con la captura de Maduro.
        prisoners freed after the operation | en | Venezuela began freeing political prisoners days after the U.S. military operation that captured Maduro.
        a team's attack | es | La Vinotinto mostró un ataque demoledor ante Bolivia y sueña con el Mundial, dijo el técnico venezolano.
        a pitch invasion | es | La Federación Venezolana de Fútbol anunció que el partido ante Colombia se jugará a puerta cerrada tras la invasión de cancha.
        a repatriation flight since the closure | es | Un vuelo con 170 venezolanos deportados desde Estados Unidos llegó a Maiquetía, el segundo desde que Trump declaró cerrado el espacio aéreo.
        Chevron's cargoes beside the blockade | es | Chevron cargó dos tanqueros con crudo venezolano rumbo a Texas, exentos del bloqueo naval.
        the invasion named to deport a gang | es | Trump invocó la Ley de Enemigos Extranjeros para deportar a presuntos miembros del Tren de Aragua, a los que acusó de una invasión.
        flights resumed after the warning | en | Copa Airlines said it would resume flights to Caracas next month, after suspending service when the FAA issued its warning on Venezuela.
        """)
    void aSignalWordInItsEverydaySenseIsNotAnEscalation(String what, String language, String text) {
        assertThat(hit(language, text)).as(what).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        bombers in Spanish | es | Bombarderos B-1B Lancer de la Fuerza Aérea volaron frente a la costa de Venezuela.
        fighter jets over a warship | es | Dos aviones F-16 de la aviación militar venezolana sobrevolaron un buque estadounidense en aguas internacionales.
        militia in English | en | Maduro called on Venezuelans to join the militia to defend the country.
        covert operations in Spanish | es | Trump confirmó que autorizó a la CIA a realizar operaciones encubiertas en Venezuela.
        war powers in Spanish | es | El Senado rechazó la resolución de poderes de guerra sobre Venezuela.
        airlines' rights revoked | es | El gobierno de Venezuela revocó las concesiones de seis aerolíneas internacionales.
        a plea in Spanish | es | Maduro se declaró no culpable de los cargos de narcoterrorismo ante un juez federal de Manhattan.
        an arraignment in a federal court | en | Maduro appeared in federal court in Manhattan to face narco-terrorism charges.
        new sanctions by the Treasury | es | El Departamento del Tesoro sancionó a seis navieras por transportar petróleo venezolano.
        a raid by special forces | en | U.S. special forces carried out a raid in Caracas before dawn, officials said.
        the state of external commotion | es | Maduro firmó el decreto de conmoción externa ante las amenazas de Washington.
        military exercises in answer | es | La Fuerza Armada de Venezuela inició ejercicios militares en la costa ante la presencia naval estadounidense.
        a threat of serious damage | en | Rubio said Trump has many options to inflict serious damage on Maduro.
        a tanker pursued, in Spanish | es | La Guardia Costera de EE.UU. persigue un tanquero que intentaba llegar a Venezuela para cargar crudo.
        a raid by U.S. forces | en | U.S. forces captured Maduro in a pre-dawn raid on Caracas, Trump said.
        a seizure that moves oil prices | en | U.S. forces seized an oil tanker off Venezuela on Wednesday, and oil prices rose on the news.
        sanctions announced | es | Washington anunció sanciones contra tres sobrinos de la esposa de Maduro, Cilia Flores.
        a threat of a military answer | es | Diosdado Cabello amenazó con responder militarmente si Estados Unidos ataca territorio venezolano.
        CIA operations | es | Trump reconoció que autorizó a la CIA a llevar a cabo operaciones en Venezuela.
        a seizure called piracy | es | El gobierno venezolano denunció el robo de un buque petrolero por parte de Estados Unidos y lo calificó de piratería.
        a boarding off Barbados | en | Coast Guard members boarded the tanker Centuries in international waters east of Barbados.
        the Nobel beside a strike | en | Trump, who has openly campaigned for the Nobel Peace Prize, ordered another strike on a drug boat off Venezuela on Tuesday.
        sanctions that revoke licences | en | The Treasury imposed new sanctions on PDVSA's shipping arm and revoked licenses held by foreign partners in Venezuela.
        a strike on a semi-submersible | es | Un ataque contra un semisumergible frente a Venezuela dejó dos sobrevivientes.
        """)
    void theSituationsOwnWordingIsAnEscalation(String what, String language, String text) {
        assertThat(hit(language, text)).as(what).isTrue();
    }
}
